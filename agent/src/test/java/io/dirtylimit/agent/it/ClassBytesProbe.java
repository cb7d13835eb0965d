package io.dirtylimit.agent.it;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A test-only probe agent: loaded into the emulator, it retransforms one class with a transformer
 * registered after every other, so it sees the bytes the JVM would define now (after any agent's
 * transformation), and writes them to a file. Arguments: {@code CLASS_NAME=OUTPUT_FILE}.
 */
public final class ClassBytesProbe {
    private ClassBytesProbe() {}

    public static void agentmain(String arguments, Instrumentation inst) throws Exception {
        int eq = arguments.indexOf('=');
        String className = arguments.substring(0, eq);
        Path output = Path.of(arguments.substring(eq + 1));
        Class<?> target = null;
        for (Class<?> loaded : inst.getAllLoadedClasses()) {
            if (loaded.getName().equals(className)) {
                target = loaded;
            }
        }
        if (target == null) {
            throw new IllegalStateException(className + " is not loaded");
        }
        Class<?> wanted = target;
        ClassFileTransformer recorder = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] buffer) {
                if (redefined == wanted) {
                    try {
                        Files.write(output, buffer);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return null;
            }
        };
        inst.addTransformer(recorder, true);
        try {
            inst.retransformClasses(target);
        } finally {
            inst.removeTransformer(recorder);
        }
    }

    /** Writes the probe's agent jar (this class and a manifest) to {@code jar}. */
    static Path writeJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Agent-Class", ClassBytesProbe.class.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        String resource = ClassBytesProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry(resource));
            for (String inner : new String[] {resource, resource.replace(".class", "$1.class")}) {
                if (!inner.equals(resource)) {
                    out.closeEntry();
                    out.putNextEntry(new JarEntry(inner));
                }
                try (var in = ClassBytesProbe.class.getClassLoader().getResourceAsStream(inner)) {
                    out.write(in.readAllBytes());
                }
            }
            out.closeEntry();
        }
        return jar;
    }

    /** Loads the probe into process {@code pid} and returns {@code className}'s current bytes there. */
    static byte[] bytesIn(long pid, String className, Path probeJar, Path output) throws Exception {
        Files.deleteIfExists(output);
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid));
        try {
            vm.loadAgent(probeJar.toString(), className + "=" + output);
        } finally {
            vm.detach();
        }
        return Files.readAllBytes(output);
    }
}
