package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code discover} where the agent is already active (prepared mode, no limit): it goes through the
 * agent's MXBean, so no agent is loaded into the running JVM (JDK 21+ would warn); the probes come
 * off leaving the hooks as they were. And one discover at a time: a second one, or an attach, while
 * one runs is refused with a clear message, and works once it has finished.
 */
class DiscoverActiveAgentIT {
    private static final String GUEST_MEMORY = "io.dirtylimit.examples.toyvm.GuestMemory";

    @Test
    void throughTheActiveAgentWithoutLoadingItAgain() throws Exception {
        List<String> jvmArgs = List.of("-Xmx768m", ToyVmProcess.javaagent("profile=toyvm-store"));
        try (ForkedJvm vm = ForkedJvm.start(jvmArgs, ItPaths.examplesClasspath().toString(), ToyVmProcess.TOYVM,
                List.of("--vcpus", "2", "--ring", "0", "--dirty-rate", "100", "--stats", "csv"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> RateCsv.lastSecond(vm.out()) >= 2);
            Path scratch = ItPaths.scratch();
            Path probe = ClassBytesProbe.writeJar(scratch.resolve("probe-discover-active.jar"));
            Path dump = scratch.resolve("discover-active.class");
            byte[] hooked = ClassBytes.canonical(ClassBytesProbe.bytesIn(vm.pid(), GUEST_MEMORY, probe, dump));

            ForkedJvm.Finished discover = AgentCli.run("discover", Long.toString(vm.pid()), "--seconds", "2", "--json");
            assertThat(discover.exitCode()).as(discover.toString()).isZero();
            assertThat(String.join("\n", discover.err())).contains("the agent is active in process " + vm.pid() + ": discovering through it");
            assertThat(discover.outText()).startsWith("{\"pid\": " + vm.pid())
                    .contains("\"vcpu-id\": \"thread-name \\\"vcpu-(\\\\d+)\\\"\"", "\"class\": \"" + GUEST_MEMORY + "\"",
                            "\"verdict\": \"store\"", "\"draft\": \"# DRAFT profile", "\"draft-problems\": []");

            assertThat(ClassBytes.canonical(ClassBytesProbe.bytesIn(vm.pid(), GUEST_MEMORY, probe, dump)))
                    .as("GuestMemory after discover: the agent's hook still in, the probe out").isEqualTo(hooked);
            assertThat(new String(hooked, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("io/dirtylimit/bridge/Bridge")
                    .doesNotContain("io/dirtylimit/probe/");
            assertThat(vm.err()).as("no dynamically loaded dirtylimit agent").noneMatch(line -> line.contains("WARNING")
                    && line.contains("dirtylimit-agent"));
            ForkedJvm.Finished status = AgentCli.run("status", Long.toString(vm.pid()));
            assertThat(status.outText()).contains("hook 0 (store) " + GUEST_MEMORY + ".write64(long, long)");
        }
    }

    @Test
    void oneDiscoverAtATime() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(),
                "--vcpus", "1", "--ring", "0", "--dirty-rate", "50", "--stats", "csv")) {
            vm.awaitSeconds(1);
            String pid = Long.toString(vm.pid());
            try (ForkedJvm first = ForkedJvm.start(List.of(), ItPaths.agentJar().toString(), "io.dirtylimit.agent.tool.Cli",
                    List.of("discover", pid, "--seconds", "8"))) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> "running".equals(property(vm.pid(), "io.dirtylimit.discover.state")));

                ForkedJvm.Finished second = AgentCli.run("discover", pid, "--seconds", "1");
                assertThat(second.exitCode()).as(second.toString()).isEqualTo(1);
                assertThat(String.join("\n", second.err())).contains("a discover is running in process " + pid);

                ForkedJvm.Finished attach = AgentCli.run("attach", pid, "profile=toyvm-bitmap,limit=20");
                assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(1);
                assertThat(attach.outText()).contains("error: a discover is running in this process", "nothing changed");

                await().atMost(Duration.ofSeconds(90)).until(() -> !first.isAlive());
                assertThat(first.out()).anyMatch(line -> line.startsWith("probes removed: original bytes restored in"));
            }
            assertThat(property(vm.pid(), "io.dirtylimit.discover.state")).isEqualTo("done");
            ForkedJvm.Finished attach = AgentCli.run("attach", pid, "profile=toyvm-bitmap,limit=20");
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            vm.awaitRates(20, 10, vm.lastSecond() + 1, 0);
        }
    }

    private static String property(long pid, String name) throws Exception {
        VirtualMachine target = VirtualMachine.attach(Long.toString(pid));
        try {
            return target.getSystemProperties().getProperty(name);
        } finally {
            target.detach();
        }
    }
}
