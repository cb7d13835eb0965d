package io.dirtylimit.agent.instrument;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Puts the bridge classes on the bootstrap class loader, once per JVM, so that advice inlined into a
 * class of any class loader resolves them (every loader delegates to bootstrap first).
 *
 * <p>They are defined there directly: the agent's own Instrumentation opens {@code java.lang} to the
 * agent ({@code redefineModule}), and a private lookup calls the boot loader's define method,
 * {@code ClassLoader.defineClass1(null, ...)} (a static native method on JDK 17 to 25). Nothing is
 * appended to the bootstrap search path, so the JVM keeps class-data sharing (and a JDK 25 AOT cache)
 * for the emulator's classes and prints no "Sharing is only supported for boot loader classes"
 * warning. Where that fails (a JDK without that method), the bridge is copied into a temporary jar
 * appended to the bootstrap search path, as before, and the report says why.
 *
 * <p>This class must not refer to the bridge classes itself: loading them through the agent's class
 * loader first would leave two copies.
 */
public final class BridgeInjector {
    /** Every class of package io.dirtylimit.bridge, superclasses first (a unit test checks the list is complete). */
    public static final List<String> BRIDGE_CLASSES = List.of(
            "io.dirtylimit.bridge.BridgeHandler",
            "io.dirtylimit.bridge.Bridge",
            "io.dirtylimit.bridge.Bridge$NoOp");

    /**
     * The bridge version this agent was built with: {@code io.dirtylimit.bridge.Bridge.VERSION}
     * (a test checks they agree; not read from the class, which must not be loaded from here).
     */
    public static final int BRIDGE_VERSION = 2;
    /** What a bridge without a VERSION field is. */
    static final int UNVERSIONED_BRIDGE = 1;

    /** What the JVM logs as the classes' source ({@code -Xlog:class+load}). */
    private static final String SOURCE = "dirtylimit-agent (bridge)";

    private BridgeInjector() {}

    /**
     * Whether the bridge is on the bootstrap class loader already (a previous attach put it there).
     *
     * @return true when it is
     */
    public static boolean inBootstrap() {
        try {
            return Class.forName(BRIDGE_CLASSES.get(1), false, null) != null;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Injects the bridge unless it is there.
     *
     * @param inst the agent's instrumentation
     * @return what happened, for the report
     * @throws IOException when neither way works
     */
    public static String ensureInBootstrap(Instrumentation inst) throws IOException, IncompatibleBridgeException {
        if (inBootstrap()) {
            checkLoadedVersion();
            return "already on the bootstrap class loader (reused)";
        }
        try {
            defineInBootLoader(inst);
            checkInBootstrap("the boot loader");
            return "defined in the bootstrap class loader";
        } catch (Throwable direct) {
            Path jar = appendToBootstrapSearchPath(inst);
            return "appended to the bootstrap class path from " + jar + " (defining it in the boot loader failed: " + direct + ")";
        }
    }

    /**
     * Fails when the bridge on the bootstrap class loader (left by an earlier agent: it can never be
     * unloaded) is not the version this agent calls: its advice and handler would not link.
     */
    public static void checkLoadedVersion() throws IncompatibleBridgeException {
        checkVersion(loadedVersion(), System.getProperty("io.dirtylimit.agent.version"));
    }

    /** The rule: {@code loaded} must be {@link #BRIDGE_VERSION}; {@code earlier} is the agent version that left it, or null. */
    static void checkVersion(int loaded, String earlier) throws IncompatibleBridgeException {
        if (loaded != BRIDGE_VERSION) {
            throw new IncompatibleBridgeException("the bootstrap bridge in this JVM is version " + loaded
                    + (loaded == UNVERSIONED_BRIDGE ? " (from before bridge versions)" : "")
                    + ", left by " + (earlier == null ? "an earlier dirtylimit agent" : "dirtylimit agent " + earlier)
                    + "; it can never be unloaded, and this agent needs bridge version " + BRIDGE_VERSION
                    + ": nothing installed (use the agent version that was loaded first, or restart the emulator"
                    + " with this one)");
        }
    }

    /** The VERSION of the bridge on the bootstrap class loader; {@value #UNVERSIONED_BRIDGE} when it has none. */
    static int loadedVersion() {
        try {
            return Class.forName(BRIDGE_CLASSES.get(1), false, null).getField("VERSION").getInt(null);
        } catch (NoSuchFieldException e) {
            return UNVERSIONED_BRIDGE;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }

    /** Opens java.lang to the agent and defines each bridge class with the boot loader's own define method. */
    static void defineInBootLoader(Instrumentation inst) throws Throwable {
        BootClasses.define(inst, BRIDGE_CLASSES, SOURCE);
    }

    /** The old way: a temporary jar on the bootstrap search path (turns class-data sharing off for application classes). */
    private static Path appendToBootstrapSearchPath(Instrumentation inst) throws IOException {
        Path jar = BootClasses.writeJar("dirtylimit-bridge-", BRIDGE_CLASSES);
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        checkInBootstrap(jar.toString());
        return jar;
    }

    private static void checkInBootstrap(String where) throws IOException {
        for (String name : BRIDGE_CLASSES) {
            try {
                Class<?> loaded = Class.forName(name, true, null);
                if (loaded.getClassLoader() != null) {
                    throw new IOException(name + " was loaded by " + loaded.getClassLoader() + ", not the bootstrap class loader");
                }
            } catch (ClassNotFoundException e) {
                throw new IOException("the bootstrap class loader cannot find " + name + " (from " + where + ")", e);
            }
        }
    }
}
