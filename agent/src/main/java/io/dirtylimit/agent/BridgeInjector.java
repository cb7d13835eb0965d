package io.dirtylimit.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the bridge classes on the bootstrap class loader, once per JVM: they are copied from the
 * agent jar into a temporary jar appended to the bootstrap search path. Advice inlined into a class
 * of any class loader resolves them there (every loader delegates to bootstrap first). This class
 * must not refer to the bridge classes itself: loading them through the agent's class loader first
 * would leave two copies.
 */
final class BridgeInjector {
    /** Every class of package io.dirtylimit.bridge (a unit test checks the list is complete). */
    static final List<String> BRIDGE_CLASSES = List.of(
            "io.dirtylimit.bridge.Bridge",
            "io.dirtylimit.bridge.Bridge$NoOp",
            "io.dirtylimit.bridge.BridgeHandler");

    private BridgeInjector() {}

    /** Whether the bridge is on the bootstrap class loader already (a previous attach put it there). */
    static boolean inBootstrap() {
        try {
            return Class.forName(BRIDGE_CLASSES.get(0), false, null) != null;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Injects the bridge unless it is there; returns what happened, for the report. */
    static String ensureInBootstrap(Instrumentation inst) throws IOException {
        if (inBootstrap()) {
            return "already on the bootstrap class loader (reused)";
        }
        Path jar = writeJar();
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        for (String name : BRIDGE_CLASSES) {
            try {
                Class<?> loaded = Class.forName(name, true, null);
                if (loaded.getClassLoader() != null) {
                    throw new IOException(name + " was loaded by " + loaded.getClassLoader() + ", not the bootstrap class loader");
                }
            } catch (ClassNotFoundException e) {
                throw new IOException("the bootstrap class loader cannot find " + name + " in " + jar, e);
            }
        }
        return "injected into the bootstrap class loader from " + jar;
    }

    private static Path writeJar() throws IOException {
        Path jar = Files.createTempFile("dirtylimit-bridge-", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : BRIDGE_CLASSES) {
                String resource = name.replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(resource));
                out.write(classBytes(resource));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static byte[] classBytes(String resource) throws IOException {
        ClassLoader loader = BridgeInjector.class.getClassLoader();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the agent jar has no " + resource);
            }
            return in.readAllBytes();
        }
    }
}
