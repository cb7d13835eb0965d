package io.dirtylimit.agent.control;

import io.dirtylimit.agent.Log;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Registers the {@link DirtyLimitMXBean} lazily, once per JVM, from a daemon thread.
 *
 * <p>Creating the platform MBean server initialises java.util.logging and JMX; done in premain,
 * before the application has installed its own LogManager, this has broken application servers.
 * So the agent never creates it: a daemon thread checks every {@link #POLL_MILLIS} ms whether
 * someone else has (any local JMX client, jconsole, JDK Mission Control or our command-line tool,
 * starts the JVM's local management agent, which creates it; so does the application's own JMX
 * use or {@code -Dcom.sun.management.jmxremote}) and registers the MXBean into it then. Looking
 * (MBeanServerFactory.findMBeanServer) initialises nothing. The tool waits for the registration.
 */
public final class JmxRegistration {
    static final long POLL_MILLIS = 100;
    /** Guarded by JmxRegistration.class. */
    private static Thread waiter;

    private JmxRegistration() {}

    /**
     * Starts the waiting thread unless it runs or has already registered the MXBean.
     *
     * @param current the installation current at each call, null while detached
     * @param version the agent's version
     */
    public static synchronized void ensureStarted(Supplier<Controlled> current, String version) {
        if (waiter != null) {
            return;
        }
        DirtyLimitControl control = new DirtyLimitControl(current, version);
        waiter = new Thread(() -> awaitServerAndRegister(control), "dirtylimit-jmx");
        waiter.setDaemon(true);
        waiter.start();
    }

    private static void awaitServerAndRegister(DirtyLimitControl control) {
        try {
            while (MBeanServerFactory.findMBeanServer(null).isEmpty()) {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
            register(control);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable failure) {
            Log.warn("cannot register the MXBean " + DirtyLimitMXBean.OBJECT_NAME + " (the emulator carries on): " + failure);
        }
    }

    private static void register(DirtyLimitControl control) throws Exception {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(control,
                    new ObjectName(DirtyLimitMXBean.OBJECT_NAME));
            Log.info("MXBean " + DirtyLimitMXBean.OBJECT_NAME + " registered");
        } catch (InstanceAlreadyExistsException e) {
            Log.debug("MXBean " + DirtyLimitMXBean.OBJECT_NAME + " already registered");
        }
    }
}
