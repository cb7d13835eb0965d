package io.dirtylimit.agent;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
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
final class JmxRegistration {
    static final long POLL_MILLIS = 100;
    /** Guarded by JmxRegistration.class. */
    private static Thread waiter;

    private JmxRegistration() {}

    /** Starts the waiting thread unless it runs or has already registered the MXBean. */
    static synchronized void ensureStarted() {
        if (waiter != null) {
            return;
        }
        waiter = new Thread(JmxRegistration::awaitServerAndRegister, "dirtylimit-jmx");
        waiter.setDaemon(true);
        waiter.start();
    }

    private static void awaitServerAndRegister() {
        try {
            while (MBeanServerFactory.findMBeanServer(null).isEmpty()) {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
            register();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable failure) {
            Log.warn("cannot register the MXBean " + DirtyLimitMXBean.OBJECT_NAME + " (the emulator carries on): " + failure);
        }
    }

    private static void register() throws Exception {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new DirtyLimitControl(),
                    new ObjectName(DirtyLimitMXBean.OBJECT_NAME));
            Log.info("MXBean " + DirtyLimitMXBean.OBJECT_NAME + " registered");
        } catch (InstanceAlreadyExistsException e) {
            Log.debug("MXBean " + DirtyLimitMXBean.OBJECT_NAME + " already registered");
        }
    }
}
