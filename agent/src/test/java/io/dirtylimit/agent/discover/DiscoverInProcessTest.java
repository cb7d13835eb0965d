package io.dirtylimit.agent.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import fixtures.discover.FixtureCpu;
import fixtures.discover.GuestRam;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole discover in this JVM, on fixture classes already loaded (as after a dynamic attach): the
 * probes count, sketch and come out again with the original bytes; one discover at a time.
 */
class DiscoverInProcessTest {
    private static final int RAM = 4 << 20;
    private static Instrumentation inst;

    private final List<Thread> cpus = new ArrayList<>();
    private final List<FixtureCpu> fixtures = new ArrayList<>();

    @BeforeAll
    static void probeOnTheBootLoader() throws Exception {
        inst = ByteBuddyAgent.install();
        Discovery.remember(inst);
        // Before anything of io.dirtylimit.probe is loaded here: the boot loader's copy is then the only one.
        ProbeInjector.ensureInBootstrap(inst);
        new FixtureCpu(new GuestRam(RAM)).step(0);
    }

    @AfterEach
    void stopCpus() throws InterruptedException {
        fixtures.forEach(FixtureCpu::stop);
        for (Thread cpu : cpus) {
            cpu.join(10_000);
        }
    }

    private void startCpu(String name, GuestRam ram) {
        FixtureCpu cpu = new FixtureCpu(ram);
        Thread thread = new Thread(cpu, name);
        thread.setDaemon(true);
        fixtures.add(cpu);
        cpus.add(thread);
        thread.start();
    }

    @Test
    void countsSketchesAndRestoresTheOriginalBytes() throws Exception {
        byte[] before = currentBytes(GuestRam.class);
        startCpu("cpu-3", new GuestRam(RAM));
        startCpu("cpu-5", new GuestRam(RAM));

        DiscoverData data = DiscoverData.parse(Discovery.runBlocking("discover,seconds=1,package=fixtures.discover"));

        assertThat(data.restored()).contains(GuestRam.class.getName(), FixtureCpu.class.getName());
        assertThat(data.errors()).isEmpty();
        assertThat(canonical(currentBytes(GuestRam.class))).as("GuestRam's bytes after the discover").isEqualTo(canonical(before));
        assertThat(Discovery.running()).isNull();

        DiscoverData.MethodStats write = method(data, "write");
        assertThat(write.parameterTypes()).containsExactly("long", "byte[]", "int", "int");
        assertThat(write.calls()).isGreaterThan(1000);
        assertThat(write.sampled()).isPositive().isLessThanOrEqualTo(write.calls());
        DiscoverData.ParamStats address = write.param(0);
        // Both CPUs sweep the whole 4 MiB, 3 pages in 4 with write: every page of 1024 but the fills' 256.
        assertThat((double) address.pages()).isCloseTo(768, within(768 * 0.15));
        assertThat(address.lowBits()).as("page-aligned addresses").isZero();
        assertThat(write.param(3).min()).isEqualTo(FixtureCpu.BLOCK);
        assertThat(write.param(3).max()).isEqualTo(FixtureCpu.BLOCK);
        assertThat(write.param(3).pages()).isEqualTo(1);
        assertThat(write.arrayArg()).isEqualTo(1);
        assertThat(write.arrayMin()).isEqualTo(FixtureCpu.BLOCK);
        assertThat(write.receivers()).isEqualTo(2);
        assertThat(write.receiverRanges()).filteredOn(r -> r.arg() == 0).hasSize(2)
                .allSatisfy(r -> assertThat(r.max()).isGreaterThan(RAM / 2));

        DiscoverData.MethodStats fill = method(data, "fill");
        assertThat(fill.pairs()).anySatisfy(pair -> {
            assertThat(pair.first()).isEqualTo(1);
            assertThat(pair.second()).isEqualTo(2);
            assertThat(pair.min()).isEqualTo(4096);
            assertThat(pair.max()).isEqualTo(4096);
        });
        assertThat(data.threads()).extracting(DiscoverData.ThreadStats::name).contains("cpu-3", "cpu-5");
        DiscoverData.ThreadStats cpu3 = data.threads().stream().filter(t -> t.name().equals("cpu-3")).findFirst().orElseThrow();
        assertThat(cpu3.callsOf(write.id())).isPositive();
        assertThat(data.methods()).noneMatch(m -> m.name().equals("size")).as("size() takes no integer: not a candidate");
    }

    @Test
    void aSecondDiscoverWhileOneRunsIsRefused() throws Exception {
        startCpu("cpu-0", new GuestRam(RAM));
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<List<String>> running = first.submit(() -> Discovery.runBlocking("discover,seconds=2,package=fixtures.discover"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Discovery.running() == null && !running.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(Discovery.running()).contains("a discover is running in this process");
            assertThatThrownBy(() -> Discovery.runBlocking("discover,seconds=1,package=fixtures.discover"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("a discover is running");
            assertThat(DiscoverData.parse(running.get(60, TimeUnit.SECONDS)).methods()).isNotEmpty();
            assertThat(Discovery.running()).isNull();
        } finally {
            first.shutdownNow();
        }
    }

    @Test
    void nothingToProbeIsAnErrorAndLeavesNothingRunning() {
        assertThatThrownBy(() -> Discovery.runBlocking("discover,seconds=1,package=no.such.pkg"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nothing to probe");
        assertThat(Discovery.running()).isNull();
        assertThatThrownBy(() -> Discovery.runBlocking("discover,seconds=1,package=java.util"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the JDK's or dirtylimit's own");
    }

    @Test
    void theCapCutsAndSaysSo() {
        DiscoverData data = DiscoverData.parse(Discovery.runBlocking("discover,seconds=0.5,max-methods=2,package=fixtures.discover"));
        assertThat(data.probed()).isEqualTo(2);
        assertThat(data.candidates()).isGreaterThan(2);
        assertThat(data.notes()).anyMatch(note -> note.startsWith("cut: " + data.candidates() + " candidate methods, probing the first 2"));
    }

    @Test
    void aFailingSinkNeverReachesTheCallerNorABadCallTheRecorder() {
        SinkChecks.run();
    }

    private static DiscoverData.MethodStats method(DiscoverData data, String name) {
        return data.methods().stream().filter(m -> m.className().equals(GuestRam.class.getName()) && m.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + data.lines()));
    }

    /** The bytes the JVM would define for {@code type} now, from a transformer registered after every other. */
    private static byte[] currentBytes(Class<?> type) throws Exception {
        byte[][] seen = new byte[1][];
        ClassFileTransformer recorder = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] buffer) {
                if (redefined == type) {
                    seen[0] = buffer.clone();
                }
                return null;
            }
        };
        inst.addTransformer(recorder, true);
        try {
            inst.retransformClasses(type);
        } finally {
            inst.removeTransformer(recorder);
        }
        return seen[0];
    }

    private static byte[] canonical(byte[] classFile) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(writer, 0);
        return writer.toByteArray();
    }
}
