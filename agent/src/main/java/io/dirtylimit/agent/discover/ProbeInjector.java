package io.dirtylimit.agent.discover;

import io.dirtylimit.agent.instrument.BootClasses;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Puts the probe classes ({@code io.dirtylimit.probe}) on the bootstrap class loader, once per JVM,
 * the way the bridge gets there (see {@code instrument.BridgeInjector}): defined with the boot
 * loader's own define method, else from a temporary jar appended to the bootstrap search path. This
 * class must not refer to the probe classes itself before they are injected.
 */
final class ProbeInjector {
    /** Every class of package io.dirtylimit.probe, superclasses first. */
    static final List<String> PROBE_CLASSES = List.of(
            "io.dirtylimit.probe.ProbeSink",
            "io.dirtylimit.probe.Probe$Idle",
            "io.dirtylimit.probe.Probe");

    private static final String SOURCE = "dirtylimit-agent (discover probe)";

    private ProbeInjector() {}

    /** Whether the probe is on the bootstrap class loader already. */
    static boolean inBootstrap() {
        try {
            return Class.forName(PROBE_CLASSES.get(2), false, null) != null;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Injects the probe unless it is there, and checks that its entry point has the signature this
     * agent's advice calls (an older agent jar's probe would not).
     *
     * @return what happened, for the report
     * @throws IOException when neither way works, or the probe there is not this agent's
     */
    static String ensureInBootstrap(Instrumentation inst) throws IOException {
        String how;
        if (inBootstrap()) {
            String earlier = injectedVolatile;
            how = earlier != null ? earlier : "already on the bootstrap class loader (reused)";
        } else {
            try {
                defineInBootLoader(inst);
                how = "defined in the bootstrap class loader";
            } catch (Throwable direct) {
                Path jar = BootClasses.writeJar("dirtylimit-probe-", PROBE_CLASSES);
                inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
                how = "appended to the bootstrap class path from " + jar + " (defining it in the boot loader failed: " + direct + ")";
            }
        }
        checkEntryPoint();
        injectedVolatile = how;
        return how;
    }

    /** How this agent put the probe there, so that a second call in one discover does not call it reused. */
    private static volatile String injectedVolatile;

    private static void checkEntryPoint() throws IOException {
        try {
            Class<?> probe = Class.forName(PROBE_CLASSES.get(2), true, null);
            if (probe.getClassLoader() != null) {
                throw new IOException(probe + " was loaded by " + probe.getClassLoader() + ", not the bootstrap class loader");
            }
            probe.getMethod("call", int.class, long.class, long.class, long.class, long.class, Object.class, Object.class);
            probe.getMethod("install", Class.forName(PROBE_CLASSES.get(0), false, null));
        } catch (ClassNotFoundException e) {
            throw new IOException("the bootstrap class loader cannot find the probe: " + e.getMessage(), e);
        } catch (NoSuchMethodException e) {
            throw new IOException("the probe on the bootstrap class loader is another agent version's (" + e.getMessage()
                    + "); restart the JVM to use this one", e);
        }
    }

    private static void defineInBootLoader(Instrumentation inst) throws Throwable {
        BootClasses.define(inst, PROBE_CLASSES, SOURCE);
    }
}
