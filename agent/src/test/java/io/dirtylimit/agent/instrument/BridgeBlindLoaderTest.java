package io.dirtylimit.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.ProfileParser;
import io.dirtylimit.bridge.Bridge;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Emulator classes whose loader does not delegate {@code io.dirtylimit.bridge} to the one the agent
 * serves (an OSGi framework without boot delegation, a child-first loader, a loader with its own
 * copy): they are never hooked, the report says why, and even advice forced onto such a class
 * cannot throw into it (the review's NoClassDefFoundError from the advice's exception handler).
 */
class BridgeBlindLoaderTest {
    private static final String FIXTURE = "fixtures.IsolatedVcpu";
    private static final String PROFILE = """
            vcpu-id thread-name "fx-(\\d+)"
            ring-full  class fixtures.IsolatedVcpu handleRingFull()
            dirty-page class fixtures.IsolatedVcpu pageDirtied(long) page=arg0
            """;
    private static Instrumentation inst;

    private final RecordingHandler handler = new RecordingHandler();
    private ResettableClassFileTransformer transformer;
    private HookReport report;

    @BeforeAll
    static void instrumentation() {
        inst = ByteBuddyAgent.install();
    }

    @AfterEach
    void removeHooks() {
        Bridge.install(null);
        if (transformer != null) {
            HookInstaller.reset(transformer, inst, report);
        }
    }

    private Profile install() throws Exception {
        Profile profile = ProfileParser.parse("test.profile", PROFILE);
        report = new HookReport(profile.hooks());
        transformer = HookInstaller.install(profile.hooks().stream().map(HookUnit::new).toList(), inst, report);
        Bridge.install(handler);
        return profile;
    }

    @Test
    void aLoaderThatCannotSeeTheBridgeIsRefusedWithItsReason() throws Exception {
        IsolatingLoader osgiLike = new IsolatingLoader("osgi-bundle-without-boot-delegation", false);
        Class<?> loadedBefore = osgiLike.loadClass(FIXTURE); // before the hooks: retransformed, as after an attach
        install();
        Class<?> loadedAfter = new IsolatingLoader("child-first", false).loadClass(FIXTURE); // transformed at load

        for (Class<?> type : new Class<?>[] {loadedBefore, loadedAfter}) {
            Object vcpu = type.getConstructor(int.class).newInstance(1);
            call(type, vcpu, "handleRingFull");
            type.getMethod("pageDirtied", long.class).invoke(vcpu, 9L);
            assertThat(type.getField("ringFulls").getInt(vcpu)).isEqualTo(1);
        }
        assertThat(handler.calls).isEmpty();
        assertThat(handler.faults).isEmpty();
        assertThat(report.refused(0)).anySatisfy(line -> assertThat(line)
                .startsWith("fixtures.IsolatedVcpu.handleRingFull(): its class loader")
                .contains("osgi-bundle-without-boot-delegation")
                .contains("cannot see io.dirtylimit.bridge"));
        assertThat(report.refused(0)).anySatisfy(line -> assertThat(line).contains("'child-first'"));
        assertThat(report.refused(1)).anySatisfy(line -> assertThat(line).contains("cannot see io.dirtylimit.bridge"));
        assertThat(report.errors()).isEmpty();
    }

    @Test
    void aLoaderWithItsOwnCopyOfTheBridgeIsRefused() throws Exception {
        install();
        Class<?> type = new IsolatingLoader("bundles-its-own-bridge", true).loadClass(FIXTURE);
        call(type, type.getConstructor(int.class).newInstance(1), "handleRingFull");
        assertThat(handler.calls).isEmpty();
        assertThat(report.refused(0)).anySatisfy(line -> assertThat(line)
                .contains("'bundles-its-own-bridge' resolves io.dirtylimit.bridge.Bridge to another copy"));
    }

    @Test
    void theSameClassFromALoaderThatSeesTheBridgeIsStillHooked() throws Exception {
        install();
        Class<?> type = new ClassLoader("delegating", getClass().getClassLoader()) { }.loadClass(FIXTURE);
        Object vcpu = type.getConstructor(int.class).newInstance(1);
        call(type, vcpu, "handleRingFull");
        assertThat(handler.calls).hasSize(1);
        assertThat(report.matched(0)).containsExactly("fixtures.IsolatedVcpu.handleRingFull()");
        // Loaders of the other tests may still hold their copies; this loader's is not refused.
        assertThat(report.refused(0)).noneMatch(line -> line.contains("'delegating'"));
    }

    /** Advice forced onto a class that cannot link the bridge: nothing reaches the emulator. */
    @Test
    void forcedAdviceInABridgeBlindClassThrowsNothing() throws Exception {
        Profile profile = ProfileParser.parse("test.profile", PROFILE);
        IsolatingLoader blind = new IsolatingLoader("forced", false);
        ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(getClass().getClassLoader());
        var builder = new ByteBuddy().redefine(TypePool.Default.of(locator).describe(FIXTURE).resolve(), locator);
        for (var spec : profile.hooks()) {
            HookUnit unit = new HookUnit(spec);
            builder = builder.visit(unit.on(unit.methodMatcher()));
        }
        blind.override(FIXTURE, builder.make().getBytes());
        Class<?> type = blind.loadClass(FIXTURE);
        Object vcpu = type.getConstructor(int.class).newInstance(2);
        Bridge.install(handler);

        for (int i = 0; i < 3; i++) { // the failed link is retried on every call: each must be contained
            call(type, vcpu, "handleRingFull");
            type.getMethod("pageDirtied", long.class).invoke(vcpu, 7L);
        }
        assertThat(type.getField("ringFulls").getInt(vcpu)).isEqualTo(3);
        assertThat(type.getField("lastPage").getLong(vcpu)).isEqualTo(7L);
        assertThat(handler.calls).isEmpty();
    }

    private static void call(Class<?> type, Object target, String method) throws Exception {
        Method m = type.getMethod(method);
        try {
            m.invoke(target);
        } catch (InvocationTargetException e) {
            throw new AssertionError("the hooked method threw into the emulator: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Defines the fixture classes itself, from the test class path, and delegates only java.* to its
     * parent: it cannot see io.dirtylimit.bridge, or (withOwnBridge) defines its own copy of it.
     */
    private static final class IsolatingLoader extends ClassLoader {
        private final boolean withOwnBridge;
        private final Map<String, byte[]> overrides = new HashMap<>();

        IsolatingLoader(String name, boolean withOwnBridge) {
            super(name, ClassLoader.getPlatformClassLoader());
            this.withOwnBridge = withOwnBridge;
        }

        void override(String name, byte[] bytes) {
            overrides.put(name, bytes);
        }

        @Override
        protected synchronized Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            boolean ours = name.startsWith("fixtures.") || (withOwnBridge && name.startsWith("io.dirtylimit.bridge."));
            if (!ours) {
                if (name.startsWith("io.dirtylimit.")) {
                    throw new ClassNotFoundException(name + " (not exported to this bundle)");
                }
                return super.loadClass(name, resolve);
            }
            Class<?> loaded = findLoadedClass(name);
            if (loaded != null) {
                return loaded;
            }
            byte[] bytes = overrides.containsKey(name) ? overrides.get(name) : bytes(name);
            return defineClass(name, bytes, 0, bytes.length);
        }

        private static byte[] bytes(String name) throws ClassNotFoundException {
            try (InputStream in = BridgeBlindLoaderTest.class.getClassLoader()
                    .getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
