package io.dirtylimit.bench.soak;

import com.sun.tools.attach.VirtualMachine;
import io.dirtylimit.agent.control.DirtyLimitMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JMX client of the toy VM, as jconsole is one: the JVM's local management agent (started
 * through the Attach API), the agent's MXBean behind a proxy, and the JVM's own thread and memory
 * beans, which the soak reads for leaked threads and heap growth.
 */
final class Jmx implements AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final ObjectName name;

    private Jmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
        try {
            this.name = new ObjectName(DirtyLimitMXBean.OBJECT_NAME);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    static Jmx connect(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        return new Jmx(JMXConnectorFactory.connect(new JMXServiceURL(address)));
    }

    /** Waits until the agent's MXBean is registered (the agent registers it once the MBean server exists). */
    boolean awaitMxBean(long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!server.isRegistered(name)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    DirtyLimitMXBean mxBean() {
        return JMX.newMXBeanProxy(server, name, DirtyLimitMXBean.class);
    }

    /** Names of the live threads of the toy VM whose name starts with {@code prefix}. */
    List<String> threads(String prefix) throws IOException {
        ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME,
                ThreadMXBean.class);
        List<String> names = new ArrayList<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                names.add(info.getThreadName());
            }
        }
        return names;
    }

    /** The toy VM's used heap right after a full collection, in bytes. */
    long heapAfterFullGc() throws IOException {
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException ignored) {
            // the VM may be gone
        }
    }
}
