package io.dirtylimit.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A probe agent the soak loads into the toy VM (before the first attach and after the last
 * detach): it retransforms the named classes with a transformer registered after every other and
 * writes the bytes the JVM would define now to {@code DIR/NAME.class}. Arguments:
 * {@code DIR;CLASS;CLASS...}. It refers to nothing outside java.base: it is loaded into the toy VM.
 */
public final class ClassProbe {
    private ClassProbe() {}

    /**
     * Entry point of the probe agent.
     *
     * @param arguments {@code DIR;CLASS;CLASS...}
     * @param inst the toy VM's instrumentation
     * @throws Exception when a class cannot be retransformed or written
     */
    public static void agentmain(String arguments, Instrumentation inst) throws Exception {
        String[] parts = arguments.split(";");
        Path dir = Path.of(parts[0]);
        try {
            probe(parts, dir, inst);
        } catch (Throwable failure) {
            java.io.StringWriter trace = new java.io.StringWriter();
            failure.printStackTrace(new java.io.PrintWriter(trace));
            Files.writeString(dir.resolve("failure.txt"), trace.toString());
        }
    }

    private static void probe(String[] parts, Path dir, Instrumentation inst) throws Exception {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> loaded : inst.getAllLoadedClasses()) {
            for (int i = 1; i < parts.length; i++) {
                if (loaded.getName().equals(parts[i])) {
                    targets.add(loaded);
                }
            }
        }
        ClassFileTransformer recorder = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] buffer) {
                if (redefined != null && targets.contains(redefined)) {
                    try {
                        Files.write(dir.resolve(redefined.getName() + ".class"), buffer);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return null;
            }
        };
        inst.addTransformer(recorder, true);
        try {
            inst.retransformClasses(targets.toArray(Class<?>[]::new));
        } finally {
            inst.removeTransformer(recorder);
        }
    }

    /** Writes the probe agent's jar. */
    static Path writeJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Agent-Class", ClassProbe.class.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        String resource = ClassProbe.class.getName().replace('.', '/');
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (String entry : List.of(resource + ".class", resource + "$1.class")) {
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = ClassProbe.class.getClassLoader().getResourceAsStream(entry)) {
                    out.write(in.readAllBytes());
                }
                out.closeEntry();
            }
        }
        return jar;
    }
}
