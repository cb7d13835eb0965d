package io.dirtylimit.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.ProfileParser;
import fixtures.BaseDevice;
import fixtures.Bus;
import fixtures.FixtureVcpu;
import fixtures.LinearRam;
import fixtures.MirrorBus;
import fixtures.RamBus;
import fixtures.TimerDevice;
import io.dirtylimit.bridge.Bridge;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each hook role and value source, instrumented in this JVM on small fixture classes. */
class HookUnitTest {
    private static Instrumentation inst;

    private final RecordingHandler handler = new RecordingHandler();
    private ResettableClassFileTransformer transformer;
    private HookReport report;

    @BeforeAll
    static void instrumentation() {
        inst = ByteBuddyAgent.install();
        // Loaded before the hooks are installed: they are retransformed, as after a dynamic attach.
        new FixtureVcpu(0).handleRingFull();
        new RamBus(16).write(0, new byte[1], 0, 1);
        new TimerDevice().tick(0);
    }

    @AfterEach
    void removeHooks() {
        Bridge.install(null);
        if (transformer != null) {
            HookInstaller.reset(transformer, inst, report);
        }
    }

    private void install(String profile) throws Exception {
        Profile parsed = ProfileParser.parse("test.profile", profile);
        report = new HookReport(parsed.hooks());
        transformer = HookInstaller.install(parsed.hooks().stream().map(HookUnit::new).toList(), inst, report);
        Bridge.install(handler);
    }

    private static void onThread(String name, Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
        thread.start();
        thread.join();
        assertThat(failure.get()).isNull();
    }

    @Test
    void ringFullRunsAfterTheBodyAndDirtyPageReadsItsArgument() throws Exception {
        install("""
                vcpu-id thread-name "fx-(\\d+)"
                ring-full  class fixtures.FixtureVcpu handleRingFull()
                dirty-page class fixtures.FixtureVcpu pageDirtied(long) page=arg0
                """);
        FixtureVcpu vcpu = new FixtureVcpu(3);
        int before = FixtureVcpu.allRingFulls;
        onThread("fx-3", () -> {
            vcpu.handleRingFull();
            vcpu.pageDirtied(77L);
            vcpu.pageDirtied(1, "an overload the profile does not name");
        });

        assertThat(handler.calls).containsExactly(
                "ring-full 0 -1 after=" + (before + 1) + " @fx-3",
                "dirty-page 1 -1 77 @fx-3");
        assertThat(vcpu.ringFulls).isEqualTo(1);
        assertThat(vcpu.lastPage).isEqualTo(77L);
        assertThat(vcpu.overloadCalls).isEqualTo(1);
        assertThat(report.matched(0)).containsExactly("fixtures.FixtureVcpu.handleRingFull()");
        assertThat(report.matched(1)).containsExactly("fixtures.FixtureVcpu.pageDirtied(long)");
        assertThat(report.errors()).isEmpty();
    }

    @Test
    void atEnterRunsBeforeTheBody() throws Exception {
        install("""
                vcpu-id thread-name "fx-(\\d+)"
                ring-size 16
                ring-full class fixtures.FixtureVcpu handleRingFull() at=enter
                """);
        int before = FixtureVcpu.allRingFulls;
        new FixtureVcpu(0).handleRingFull();
        assertThat(handler.calls).containsExactly("ring-full 0 -1 after=" + before + " @main");
    }

    @Test
    void vcpuIndexFromAFieldOfThisOrAnArgument() throws Exception {
        install("""
                vcpu-id per-hook
                ring-full  class fixtures.FixtureVcpu handleRingFull() vcpu=this.index
                dirty-page class fixtures.FixtureVcpu pageDirtied(long) page=arg0 vcpu=this.wideIndex
                store      class fixtures.FixtureVcpu step(int, long) address=arg1 size=8 vcpu=arg0
                """);
        FixtureVcpu vcpu = new FixtureVcpu(5);
        vcpu.handleRingFull();
        vcpu.pageDirtied(12L);
        FixtureVcpu.step(9, 4096L);

        assertThat(handler.calls).containsExactly(
                "ring-full 0 5 after=" + FixtureVcpu.allRingFulls + " @main",
                "dirty-page 1 5 12 @main",
                "store 2 9 4096 8 @main");
    }

    @Test
    void vcpuLoopTellsTheThreadItsVcpuOnEntry() throws Exception {
        install("""
                vcpu-id field index
                vcpu-loop class fixtures.FixtureVcpu run()
                ring-size 8
                ring-full class fixtures.FixtureVcpu handleRingFull() vcpu=thread at=enter
                """);
        new FixtureVcpu(6).run();
        assertThat(handler.calls).hasSize(4).first().isEqualTo("vcpu-loop 0 6 @main");
        assertThat(handler.calls.subList(1, 4)).allSatisfy(call -> assertThat(call).startsWith("ring-full 1 -1 "));
    }

    @Test
    void storeOnEveryImplementationOfAnInterfaceLoadedBeforeOrAfter() throws Exception {
        install("""
                vcpu-id thread-name "fx-(\\d+)"
                store implementations-of fixtures.Bus write(long, byte[], int, int) address=arg0 size=arg3
                """);
        Bus ram = new RamBus(64);
        onThread("fx-1", () -> {
            ram.write(8, new byte[16], 0, 16);
            new MirrorBus().write(32, new byte[4], 1, 3);
            ram.writeByte(40, (byte) 1);
        });

        assertThat(handler.calls).containsExactly(
                "store 0 -1 8 16 @fx-1",
                "store 0 -1 32 3 @fx-1",
                "store 0 -1 40 1 @fx-1");
        assertThat(report.matched(0)).containsExactlyInAnyOrder(
                "fixtures.RamBus.write(long, byte[], int, int)", "fixtures.MirrorBus.write(long, byte[], int, int)");
    }

    @Test
    void sizeFromTheLengthOfAnArrayArgument() throws Exception {
        install("""
                vcpu-id thread-name "fx-(\\d+)"
                store implementations-of fixtures.Bus write(long, byte[], int, int) address=arg0 size=length(arg1)
                """);
        new RamBus(64).write(0, new byte[24], 0, 8);
        assertThat(handler.calls).containsExactly("store 0 -1 0 24 @main");
    }

    @Test
    void spaceObjectsEndAddressesScaledSizesAndUnsignedIntAddresses() throws Exception {
        install("""
                vcpu-id space
                store class fixtures.LinearRam write(int, byte[], int, int) address=arg0 size=arg3 space=this
                store class fixtures.LinearRam fill(byte, int, int) address=arg1 end=arg2 space=this at=exit
                store class fixtures.LinearRam storex(long, long, int, int) address=arg0 size=arg2/8 space=this
                store class fixtures.LinearRam storex(long, long, int, int) address=arg0 size=1<<arg3 space=this.page
                store class fixtures.LinearRam words(long, long[]) address=arg0 size=length(arg1)*8 space=this
                store class fixtures.LinearRam quads(short, int) address=signed(arg0) size=arg1*4 space=this
                store class fixtures.LinearRam copyInto(fixtures.LinearRam, int, int) address=arg1 size=arg2 space=arg0
                store class fixtures.PageObject write8(int, byte) address=arg0 size=1 space=this
                """);
        LinearRam one = new LinearRam();
        LinearRam two = new LinearRam();
        String a = RecordingHandler.name(one);
        String b = RecordingHandler.name(two);
        String page = RecordingHandler.name(one.page);
        int threeGiB = (int) (3L << 30);
        onThread("tenant-worker-0", () -> {
            one.write(threeGiB, new byte[64], 0, 64);
            two.write(0, new byte[64], 0, 16);
            one.fill((byte) 1, 100, 4196);
            one.storex(8, 0, 12, 3);
            two.words(16, new long[5]);
            one.quads((short) -2, 3);
            LinearRam.copyInto(two, -1, 2);
            one.page.write8(4095, (byte) 7);
        });

        assertThat(handler.calls).containsExactly(
                "store-in 0 -1 " + a + " " + (3L << 30) + " 64 @tenant-worker-0",
                "store-in 0 -1 " + b + " 0 16 @tenant-worker-0",
                "store-in 1 -1 " + a + " 100 4096 @tenant-worker-0",
                "store-in 2 -1 " + a + " 8 2 @tenant-worker-0",
                "store-in 3 -1 " + page + " 8 8 @tenant-worker-0",
                "store-in 4 -1 " + b + " 16 40 @tenant-worker-0",
                "store-in 5 -1 " + a + " -2 12 @tenant-worker-0",
                "store-in 6 -1 " + b + " 4294967295 2 @tenant-worker-0",
                "store-in 7 -1 " + page + " 4095 1 @tenant-worker-0");
        assertThat(one.lastWriteAt).as("the emulator's own code still runs").isEqualTo(-2);
        // PageObject is loaded while LinearRam is described (its field's type), inside a transformation:
        // it is instrumented all the same (the installer looks for classes loaded meanwhile).
        assertThat(report.matched(7)).containsExactly("fixtures.PageObject.write8(int, byte)");
        assertThat(one.fills).isEqualTo(1);
        assertThat(report.errors()).isEmpty();
    }

    @Test
    void namedSpacesTakeEndAndScaledSizesToo() throws Exception {
        install("""
                vcpu-id thread-name "fx-(\\d+)"
                store class fixtures.LinearRam fill(byte, int, int) address=arg1 end=arg2
                store class fixtures.LinearRam storex(long, long, int, int) address=arg0 size=arg2/8
                """);
        LinearRam ram = new LinearRam();
        ram.fill((byte) 0, -4096, -1);
        ram.storex(64, 1, 4, 0);
        assertThat(handler.calls).containsExactly(
                "store 0 -1 " + ((1L << 32) - 4096) + " 4095 @main",
                "store 1 -1 64 1 @main");
    }

    @Test
    void spaceThisOnAStaticMethodAndEndOnANonIntegerAreRefused() throws Exception {
        install("""
                vcpu-id space
                store class fixtures.LinearRam poke(int, int) address=arg0 size=arg1 space=this
                store class fixtures.LinearRam storex(*) address=arg0 end=arg1 space=this
                store class fixtures.LinearRam words(*) address=arg0 end=arg1 space=this
                store class fixtures.LinearRam copyInto(*) address=arg1 size=arg2 space=arg1
                """);
        LinearRam.poke(0, 8);
        new LinearRam().words(0, new long[1]);
        assertThat(handler.calls).isEmpty();
        assertThat(report.matched(0)).isEmpty();
        assertThat(report.refused(0)).singleElement().asString()
                .contains("fixtures.LinearRam.poke(int, int)", "space=this but the method is static");
        assertThat(report.matched(1)).as("long is an integer: end=arg1 applies").singleElement().asString().contains("storex");
        assertThat(report.refused(2)).singleElement().asString().contains("end=arg1 is long[], not an integer");
        assertThat(report.refused(3)).singleElement().asString().contains("space=arg1 is int, not an object");
    }

    @Test
    void subclassesOfAnAbstractClass() throws Exception {
        install("""
                vcpu-id per-hook
                ring-size 4
                ring-full subclasses-of fixtures.BaseDevice tick(int) vcpu=arg0 at=enter
                """);
        BaseDevice device = new TimerDevice();
        device.tick(2);
        assertThat(handler.calls).hasSize(1).first().asString().startsWith("ring-full 0 2 ");
        assertThat(((TimerDevice) device).ticks).isEqualTo(1);
    }

    @Test
    void aFailureInsideTheInlinedAdviceIsSuppressedAndReported() throws Exception {
        install("""
                vcpu-id thread-name "fx-(\\d+)"
                store implementations-of fixtures.Bus write(long, byte[], int, int) address=arg0 size=length(arg1)
                """);
        MirrorBus bus = new MirrorBus();
        bus.write(5, null, 0, 0);

        assertThat(bus.lastAddress).isEqualTo(5);
        assertThat(handler.calls).isEmpty();
        assertThat(handler.faults).containsExactly("-1 NullPointerException");
    }

    @Test
    void aFailureInTheHandlerNeverReachesTheEmulator() throws Exception {
        install("""
                vcpu-id thread-name "fx-(\\d+)"
                dirty-page class fixtures.FixtureVcpu pageDirtied(long) page=arg0
                """);
        handler.throwOnDirtyPage = new IllegalStateException("agent bug");
        FixtureVcpu vcpu = new FixtureVcpu(0);
        vcpu.pageDirtied(3L);

        assertThat(vcpu.lastPage).isEqualTo(3L);
        assertThat(handler.faults).containsExactly("0 IllegalStateException");
    }

    @Test
    void theEmulatorsOwnExceptionsStillPropagate() throws Exception {
        install("""
                vcpu-id thread-name "fx-(\\d+)"
                ring-size 1
                ring-full class fixtures.FixtureVcpu throwing()
                """);
        assertThatThrownBy(() -> new FixtureVcpu(0).throwing()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the emulator's own exception");
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void methodsAHookCannotServeAreRefusedAndReported() throws Exception {
        install("""
                vcpu-id per-hook
                ring-full  class fixtures.FixtureVcpu handleRingFull() vcpu=this.nosuch
                dirty-page class fixtures.FixtureVcpu pageDirtied(*) page=arg1
                store      class fixtures.NoSuchClass write(long) address=arg0 size=1
                """);
        FixtureVcpu vcpu = new FixtureVcpu(0);
        vcpu.handleRingFull();
        vcpu.pageDirtied(1, "x");
        vcpu.pageDirtied(2L);

        assertThat(handler.calls).isEmpty();
        assertThat(report.matched(0)).isEmpty();
        assertThat(report.refused(0)).singleElement().asString().contains("has no field nosuch");
        assertThat(report.refused(1)).hasSize(2).anySatisfy(r -> assertThat(r).contains("is java.lang.String, not an integer"))
                .anySatisfy(r -> assertThat(r).contains("has 1 parameter(s)"));
        assertThat(report.matched(2)).isEmpty();
        assertThat(report.errors()).isEmpty();
    }

    @Test
    void resetRestoresTheOriginalBytecodeAndHooksAddNoMembers() throws Exception {
        byte[] original = currentBytes(FixtureVcpu.class);
        int fields = FixtureVcpu.class.getDeclaredFields().length;
        int methods = FixtureVcpu.class.getDeclaredMethods().length;
        install("""
                vcpu-id thread-name "fx-(\\d+)"
                ring-full  class fixtures.FixtureVcpu handleRingFull()
                dirty-page class fixtures.FixtureVcpu pageDirtied(long) page=arg0
                """);
        byte[] hooked = currentBytes(FixtureVcpu.class);
        assertThat(hooked).isNotEqualTo(original);
        assertThat(new String(hooked, StandardCharsets.ISO_8859_1)).contains("io/dirtylimit/bridge/Bridge");
        assertThat(FixtureVcpu.class.getDeclaredFields()).hasSize(fields);
        assertThat(FixtureVcpu.class.getDeclaredMethods()).hasSize(methods);

        List<String> restored = HookInstaller.reset(transformer, inst, report);
        transformer = null;

        assertThat(restored).contains(FixtureVcpu.class.getName());
        assertThat(currentBytes(FixtureVcpu.class)).isEqualTo(original);
        new FixtureVcpu(0).handleRingFull();
        assertThat(handler.calls).isEmpty();
    }

    /** The class's bytes as the JVM would define them now, seen by a transformer registered last. */
    private static byte[] currentBytes(Class<?> type) throws Exception {
        AtomicReference<byte[]> seen = new AtomicReference<>();
        ClassFileTransformer probe = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] buffer) {
                if (redefined == type) {
                    seen.set(buffer.clone());
                }
                return null;
            }
        };
        inst.addTransformer(probe, true);
        try {
            inst.retransformClasses(type);
        } finally {
            inst.removeTransformer(probe);
        }
        return seen.get();
    }
}
