package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.sun.tools.attach.VirtualMachine;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.management.Attribute;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;

/**
 * The MXBean through a real JMX connection, as jconsole or JDK Mission Control reach it: the
 * Attach API starts the toy VM's local management agent, and only open types come back.
 */
class MxBeanIT {
    private static final String NAME = "io.dirtylimit:type=DirtyLimit";

    @Test
    void operationsAndAttributesOverJmx() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(ToyVmProcess.javaagent("profile=toyvm")),
                "--vcpus", "2", "--dirty-rate", "200", "--stats", "csv")) {
            vm.awaitSeconds(1);
            assertThat(liveClasses(vm.pid())).as("the agent creates no MBean server itself")
                    .doesNotContain("com.sun.jmx.mbeanserver.JmxMBeanServer");
            VirtualMachine target = VirtualMachine.attach(Long.toString(vm.pid()));
            String address;
            try {
                address = target.startLocalManagementAgent();
            } finally {
                target.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName(NAME);
                await().atMost(Duration.ofSeconds(20)).until(() -> server.isRegistered(name));
                exercise(server, name);
            }
        }
    }

    /** Classes with live instances in {@code pid}, by {@code jcmd GC.class_histogram}. */
    private static java.util.Set<String> liveClasses(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        List<String> lines = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertThat(jcmd.waitFor()).as("jcmd GC.class_histogram: %s", lines).isZero();
        java.util.Set<String> classes = new java.util.HashSet<>();
        for (String line : lines) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length >= 4 && cells[0].endsWith(":")) {
                classes.add(cells[3]);
            }
        }
        assertThat(classes).as("histogram parsed").contains("java.lang.String");
        return classes;
    }

    private static void exercise(MBeanServerConnection server, ObjectName name) throws Exception {
        assertThat(Arrays.stream(server.getMBeanInfo(name).getOperations()).map(MBeanOperationInfo::getName))
                .contains("setVcpuDirtyLimit", "limitAllVcpus", "cancelVcpuDirtyLimit", "cancelAllVcpuDirtyLimit",
                        "queryVcpuDirtyLimit", "calcDirtyRate");
        assertThat(server.getAttribute(name, "Active")).isEqualTo(true);
        assertThat((String) server.getAttribute(name, "Version")).isNotBlank();
        assertThat(server.getAttribute(name, "Profile")).isEqualTo("toyvm (builtin:toyvm)");
        assertThat((String[]) server.getAttribute(name, "HooksMatched")).hasSize(3);
        // The migration hooks match once the toy VM loads its Migration class, at its first migration.
        assertThat((String[]) server.getAttribute(name, "HooksUnmatched")).hasSize(3)
                .allSatisfy(hook -> assertThat(hook).contains("migration-"));
        assertThat(server.getAttribute(name, "SuppressedErrors")).isEqualTo(0L);
        assertThat((int[]) server.getAttribute(name, "Vcpus")).containsExactly(0, 1);

        server.setAttribute(name, new Attribute("Period", "500ms"));
        assertThat(server.getAttribute(name, "Period")).isEqualTo("500ms");
        server.setAttribute(name, new Attribute("Policy", "pi"));
        assertThat(server.getAttribute(name, "Policy")).isEqualTo("pi");
        assertThatThrownBy(() -> server.setAttribute(name, new Attribute("Policy", "fast")))
                .isInstanceOf(RuntimeMBeanException.class).rootCause()
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown policy 'fast'");
        assertThatThrownBy(() -> server.setAttribute(name, new Attribute("Period", "1h")))
                .rootCause().hasMessageContaining("period");

        assertThat(server.getAttribute(name, "Guard")).isEqualTo("auto");
        assertThat(server.getAttribute(name, "Guarded")).isEqualTo(true); // pi, guarded by default
        server.setAttribute(name, new Attribute("Policy", "qemu"));
        assertThat(server.getAttribute(name, "Guarded")).isEqualTo(false); // a QEMU baseline
        server.setAttribute(name, new Attribute("Guard", "on"));
        assertThat(server.getAttribute(name, "Guarded")).isEqualTo(true);
        server.setAttribute(name, new Attribute("Guard", "auto"));
        server.setAttribute(name, new Attribute("Policy", "pi"));
        assertThatThrownBy(() -> server.setAttribute(name, new Attribute("Guard", "sometimes")))
                .rootCause().hasMessage("guard must be auto, on or off, got 'sometimes'");

        assertThat(server.getAttribute(name, "MigrationMode")).isEqualTo("off");
        server.setAttribute(name, new Attribute("MigrationMode", "auto-converge"));
        assertThat(server.getAttribute(name, "MigrationMode")).isEqualTo("auto-converge");
        assertThat((String) server.getAttribute(name, "MigrationState")).startsWith("auto-converge, trigger 50 % of bytes sent")
                .contains("; idle; in force: none");
        assertThat(server.getAttribute(name, "MigrationRunning")).isEqualTo(false);
        assertThatThrownBy(() -> server.setAttribute(name, new Attribute("MigrationMode", "fast")))
                .rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessage("migration mode 'fast' is not one of off, auto, fit, qemu, auto-converge");
        server.setAttribute(name, new Attribute("MigrationMode", "off"));
        assertThat(server.getAttribute(name, "MigrationMode")).isEqualTo("off");

        server.invoke(name, "limitAllVcpus", new Object[] {50.0}, new String[] {"double"});
        CompositeData[] rows = (CompositeData[]) server.invoke(name, "queryVcpuDirtyLimit", new Object[0], new String[0]);
        assertThat(rows).hasSize(2).allSatisfy(row -> {
            assertThat(row.get("enabled")).isEqualTo(true);
            assertThat(row.get("limitRate")).isEqualTo(50.0);
            assertThat(row.getCompositeType().keySet()).contains("cpuIndex", "currentRate", "sleepNanosPerThrottlePoint",
                    "throttlePoints");
        });
        assertThat(server.getAttribute(name, "Limits")).isEqualTo("all vCPUs 50 MB/s");
        // A vCPU not seen yet: the limit waits for it, as limit=7:10 would.
        server.invoke(name, "setVcpuDirtyLimit", new Object[] {7, 10.0}, new String[] {"int", "double"});
        rows = (CompositeData[]) server.invoke(name, "queryVcpuDirtyLimit", new Object[0], new String[0]);
        assertThat(rows).extracting(row -> row.get("cpuIndex"), row -> row.get("pending"), row -> row.get("setBy"))
                .containsExactly(tuple(0, false, "operator"), tuple(1, false, "operator"), tuple(7, true, "operator"));
        assertThat(server.getAttribute(name, "Limits")).isEqualTo("all vCPUs 50 MB/s; vCPU 7 10 MB/s (waiting for vCPU(s) [7] to appear)");
        server.invoke(name, "cancelVcpuDirtyLimit", new Object[] {7}, new String[] {"int"});
        assertThatThrownBy(() -> server.invoke(name, "setVcpuDirtyLimit", new Object[] {5000, 10.0}, new String[] {"int", "double"}))
                .rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cpu index 5000 is out of range 0..1023 (the profile's max-vcpus)");

        CompositeData rate = (CompositeData) server.invoke(name, "calcDirtyRate", new Object[] {0.5}, new String[] {"double"});
        assertThat((Double) rate.get("seconds")).isGreaterThanOrEqualTo(0.5);
        assertThat((CompositeData[]) rate.get("vcpuRates")).extracting(r -> r.get("cpuIndex")).containsExactly(0, 1);
        assertThat((Double) rate.get("totalRate")).isPositive();

        server.invoke(name, "cancelVcpuDirtyLimit", new Object[] {1}, new String[] {"int"});
        rows = (CompositeData[]) server.invoke(name, "queryVcpuDirtyLimit", new Object[0], new String[0]);
        assertThat(rows).extracting(row -> row.get("enabled")).containsExactly(true, false);
        server.invoke(name, "cancelAllVcpuDirtyLimit", new Object[0], new String[0]);
        rows = (CompositeData[]) server.invoke(name, "queryVcpuDirtyLimit", new Object[0], new String[0]);
        assertThat(rows).extracting(row -> row.get("enabled")).containsExactly(false, false);
        assertThat(server.getAttribute(name, "Limits")).isEqualTo("none (prepared)");
    }
}
