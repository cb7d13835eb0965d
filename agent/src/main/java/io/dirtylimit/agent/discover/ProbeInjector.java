package io.dirtylimit.agent.discover;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

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
                Path jar = writeJar();
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
        Module agent = ProbeInjector.class.getModule();
        Module javaBase = Object.class.getModule();
        if (!javaBase.isOpen("java.lang", agent)) {
            inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(agent)), Set.of(), Map.of());
        }
        MethodHandle define = MethodHandles.privateLookupIn(ClassLoader.class, MethodHandles.lookup())
                .findStatic(ClassLoader.class, "defineClass1", MethodType.methodType(Class.class, ClassLoader.class,
                        String.class, byte[].class, int.class, int.class, ProtectionDomain.class, String.class));
        for (String name : PROBE_CLASSES) {
            byte[] bytes = classBytes(name.replace('.', '/') + ".class");
            Class<?> defined = (Class<?>) define.invokeExact((ClassLoader) null, name, bytes, 0, bytes.length,
                    (ProtectionDomain) null, SOURCE);
            if (defined.getClassLoader() != null) {
                throw new IllegalStateException(name + " was defined by " + defined.getClassLoader() + ", not the boot loader");
            }
        }
    }

    private static Path writeJar() throws IOException {
        Path jar = Files.createTempFile("dirtylimit-probe-", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : PROBE_CLASSES) {
                String resource = name.replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(resource));
                out.write(classBytes(resource));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static byte[] classBytes(String resource) throws IOException {
        ClassLoader loader = ProbeInjector.class.getClassLoader();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the agent jar has no " + resource);
            }
            return in.readAllBytes();
        }
    }
}
