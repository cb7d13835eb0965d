package io.dirtylimit.agent.instrument;

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
import java.util.jar.JarOutputStream;

/**
 * Puts classes of the agent jar on the bootstrap class loader, for the bridge and for discover's
 * probe: defined directly with the boot loader's own define method, or (the fallback) written to a
 * temporary jar for the bootstrap search path. Internal, no compatibility promised.
 */
public final class BootClasses {
    private BootClasses() {}

    /**
     * Opens java.lang to the agent and defines each class with the boot loader's own define method.
     *
     * @param inst the instrumentation
     * @param classes binary names, in definition order
     * @param source the code source the classes are said to come from
     * @throws Throwable whatever the JDK refuses with
     */
    public static void define(Instrumentation inst, List<String> classes, String source) throws Throwable {
        Module agent = BootClasses.class.getModule();
        Module javaBase = Object.class.getModule();
        if (!javaBase.isOpen("java.lang", agent)) {
            inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(agent)), Set.of(), Map.of());
        }
        MethodHandle define = MethodHandles.privateLookupIn(ClassLoader.class, MethodHandles.lookup())
                .findStatic(ClassLoader.class, "defineClass1", MethodType.methodType(Class.class, ClassLoader.class,
                        String.class, byte[].class, int.class, int.class, ProtectionDomain.class, String.class));
        for (String name : classes) {
            byte[] bytes = classBytes(name.replace('.', '/') + ".class");
            Class<?> defined = (Class<?>) define.invokeExact((ClassLoader) null, name, bytes, 0, bytes.length,
                    (ProtectionDomain) null, source);
            if (defined.getClassLoader() != null) {
                throw new IllegalStateException(name + " was defined by " + defined.getClassLoader() + ", not the boot loader");
            }
        }
    }

    /**
     * A temporary jar holding {@code classes}, deleted when the JVM exits.
     *
     * @param prefix the file name's start
     * @param classes binary names
     * @return the jar
     * @throws IOException when it cannot be written
     */
    public static Path writeJar(String prefix, List<String> classes) throws IOException {
        Path jar = Files.createTempFile(prefix, ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : classes) {
                String resource = name.replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(resource));
                out.write(classBytes(resource));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static byte[] classBytes(String resource) throws IOException {
        ClassLoader loader = BootClasses.class.getClassLoader();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the agent jar has no " + resource);
            }
            return in.readAllBytes();
        }
    }
}
