package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Real time, in process: the warmup and once workloads as the VM's own statistics and output
 * show them. Bands are wide (a loaded 2-core machine); the exact shapes are asserted on virtual
 * time in {@link GuestProgramsTest}.
 */
class WarmupAndOnceTest {
    /** The documented once line, as a CSV reader sees it (a comment). */
    static final Pattern ONCE_LINE = Pattern.compile("# vcpu (\\d+): wrote ([0-9.]+) MiB once in (\\d+\\.\\d{3}) s");

    @Test
    void pacedWarmupDirtiesAFiftiethOfItsRateForTwoSecondsThenItsRate() throws Exception {
        TestVms.RecordingStats stats = run(5, "--mem", "64M", "--workload", "warmup", "--dirty-rate", "100");
        double slow = Math.max(stats.meanDirtyMbps(0, 1, 1), stats.meanDirtyMbps(0, 2, 2));
        assertThat(slow).as("seconds 1 and 2: 2 MB/s expected").isBetween(0.5, 6.0);
        assertThat(stats.meanDirtyMbps(0, 4, 5)).as("seconds 4-5").isCloseTo(100, withinPercentage(15));
    }

    /**
     * Flat out, the slow phase does 49 pages' worth of arithmetic per page: per guest instruction
     * it dirties 1/50 of what it does later, whatever the machine's load. In time it is slower too,
     * by less (a store costs the interpreter more than arithmetic, and under load the fast phase may
     * not be compiled yet), so that is only checked loosely.
     */
    @Test
    void flatOutWarmupIsSlowForTwoSecondsThenFast() throws Exception {
        TestVms.RecordingStats stats = run(5, "--mem", "64M", "--workload", "warmup");
        double slowPerInstruction = stats.dirtyMbPerMegaInstructions(0, 1, 2);
        double fastPerInstruction = stats.dirtyMbPerMegaInstructions(0, 4, 5);
        assertThat(fastPerInstruction / slowPerInstruction).as("pages per instruction, fast / slow (50 by construction)")
                .isBetween(35.0, 65.0);
        double slow = Math.max(stats.meanDirtyMbps(0, 1, 1), stats.meanDirtyMbps(0, 2, 2));
        double fast = stats.meanDirtyMbps(0, 4, 5);
        assertThat(fast / slow).as("fast %.1f / slow %.1f MB/s", fast, slow).isGreaterThan(2);
    }

    @Test
    void onceWritesEachPageExactlyOnceAndPrintsItsLine() throws Exception {
        TestVms.Output output = new TestVms.Output();
        Machine vm = TestVms.machine(StatsSink.csv(output.console(true)), output,
                "--vcpus", "2", "--mem", "16M", "--workload", "once", "--stats", "csv");
        long pagesPerVcpu = 8L * 1024 * 1024 / GuestMemory.PAGE_SIZE;
        vm.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> onceLines(output).size() == 2);
            vm.syncDirty();
            long[] instructions = new long[2];
            for (Vcpu vcpu : vm.vcpus()) {
                assertThat(vcpu.statPagesAcquire()).isEqualTo(pagesPerVcpu);
                instructions[vcpu.index] = vcpu.instructionsAcquire();
            }
            long seconds = secondsIn(output);
            await().atMost(Duration.ofSeconds(60)).until(() -> secondsIn(output) >= seconds + 2);
            vm.syncDirty();
            for (Vcpu vcpu : vm.vcpus()) {
                assertThat(vcpu.statPagesAcquire()).as("no store after the pass").isEqualTo(pagesPerVcpu);
                assertThat(vcpu.instructionsAcquire()).as("computing").isGreaterThan(instructions[vcpu.index] + 1_000_000);
            }
        } finally {
            vm.shutdown();
        }
        for (int page = 0; page < 2 * pagesPerVcpu; page++) {
            long vcpu = page / pagesPerVcpu;
            long expected = vcpu << 48 | (1 + page % pagesPerVcpu);
            assertThat(vm.memory().read64((long) page * GuestMemory.PAGE_SIZE)).as("page %d: its store number, once", page).isEqualTo(expected);
            assertThat(vm.tracker().isDirtyVolatile(page)).isFalse();
        }
        List<Matcher> lines = onceLines(output);
        assertThat(lines).extracting(m -> m.group(1)).containsExactlyInAnyOrder("0", "1");
        assertThat(lines).extracting(m -> m.group(2)).containsOnly("8");
        List<String> csv = output.out().lines().filter(l -> !l.startsWith("# ")).collect(Collectors.toList());
        assertThat(csv.get(0)).isEqualTo(StatsSink.CSV_HEADER);
        assertThat(csv).allMatch(l -> l.split(",").length == 5);
    }

    @Test
    void pacedOnceTakesItsRegionOverItsRate() throws Exception {
        TestVms.Output output = new TestVms.Output();
        assertThat(ToyVm.run(new String[] {"--mem", "8M", "--workload", "once", "--dirty-rate", "4", "--stats", "csv", "--seconds", "3"},
                new java.io.ByteArrayInputStream(new byte[0]), output.out, output.err)).isEqualTo(ToyVm.EXIT_OK);
        List<Matcher> lines = onceLines(output);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).group(0)).startsWith("# vcpu 0: wrote 8 MiB once in ");
        assertThat(Double.parseDouble(lines.get(0).group(3))).as("8 MiB at 4 MB/s").isBetween(1.99, 2.9);
        assertThat(output.err()).contains("toyvm: vcpu-0: once 4 MB/s [0x0..0x800000)");
    }

    private static TestVms.RecordingStats run(int seconds, String... args) throws Exception {
        TestVms.RecordingStats stats = new TestVms.RecordingStats();
        Machine vm = TestVms.machine(stats, new TestVms.Output(), args);
        vm.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> stats.count() >= seconds);
        } finally {
            vm.shutdown();
        }
        return stats;
    }

    private static List<Matcher> onceLines(TestVms.Output output) {
        return output.out().lines().map(ONCE_LINE::matcher).filter(Matcher::matches).collect(Collectors.toList());
    }

    private static long secondsIn(TestVms.Output output) {
        return output.out().lines().filter(l -> l.matches("\\d+,0,.*")).count();
    }
}
