package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The workloads' guest programs, run on virtual time: deterministic, tight numbers. */
class GuestProgramsTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MIB = 1 << 20;
    /** Virtual cost of one guest instruction. */
    private static final long NS_PER_INSTRUCTION = 5;

    private final FakeBus bus = new FakeBus();

    private static VcpuWorkload workload(WorkloadKind kind, double rate, long base, long size, long wss) {
        return new VcpuWorkload(0, kind, rate, base, size, wss, 7);
    }

    private Interpreter load(VcpuWorkload w) {
        return new Interpreter(GuestPrograms.build(w), bus);
    }

    /** Runs until the virtual clock reaches {@code until}; PAUSE sleeps {@code overshoot} longer than asked. */
    private void runUntil(Interpreter cpu, long until, long overshoot) {
        runOn(bus, cpu, until, overshoot, NS_PER_INSTRUCTION);
    }

    private static void runOn(FakeBus bus, Interpreter cpu, long until, long overshoot, long nsPerInstruction) {
        while (bus.clockNanos < until) {
            ExitReason exit = cpu.runSlice(16);
            bus.clockNanos += cpu.sliceInstructions() * nsPerInstruction;
            if (exit == ExitReason.IDLE) {
                bus.clockNanos += cpu.pauseNanos() + overshoot;
            } else {
                assertThat(exit).isEqualTo(ExitReason.SLICE_END);
            }
        }
    }

    private void runStores(Interpreter cpu, int stores) {
        while (bus.storeAddresses.size() < stores) {
            assertThat(cpu.runSlice(1)).isIn(ExitReason.SLICE_END, ExitReason.IDLE);
        }
    }

    private static double pagesPerSecond(double mbps) {
        return mbps * MIB / GuestMemory.PAGE_SIZE;
    }

    @Test
    void seqStoresOncePerPageInOrderAndWraps() {
        Interpreter cpu = load(workload(WorkloadKind.SEQ, VcpuWorkload.FLAT_OUT, 0x10000, 4 * 4096, 4 * 4096));
        runStores(cpu, 6);
        assertThat(bus.storeAddresses).containsExactly(0x10000L, 0x11000L, 0x12000L, 0x13000L, 0x10000L, 0x11000L);
        assertThat(bus.memory.get(0x10000L)).as("rewritten with a new value").isEqualTo(5);
    }

    @Test
    void randomStoresStayPageAlignedInTheWorkingSetAndCoverIt() {
        Interpreter cpu = load(workload(WorkloadKind.RANDOM, VcpuWorkload.FLAT_OUT, MIB, 4 * MIB, 64 * 1024));
        runStores(cpu, 2000);
        assertThat(bus.storeAddresses).allSatisfy(a -> {
            assertThat(a).isBetween(MIB, MIB + 64 * 1024 - 1);
            assertThat(a % 4096).isZero();
        });
        assertThat(bus.storeAddresses.stream().distinct().count()).isEqualTo(16);
    }

    @Test
    void copyCopiesTheFirstHalfOfItsRegionToTheSecondAddingThePassNumber() {
        long base = 0x8000;
        for (int i = 0; i < 512; i++) {
            bus.memory.put(base + 8L * i, 1000L + i);
        }
        Interpreter cpu = load(workload(WorkloadKind.COPY, VcpuWorkload.FLAT_OUT, base, 2 * 4096, 2 * 4096));
        runStores(cpu, 512);
        for (int i = 0; i < 512; i++) {
            assertThat(bus.memory.get(base + 4096 + 8L * i)).isEqualTo(1000L + i + 1);
        }
        runStores(cpu, 1024);
        assertThat(bus.memory.get(base + 4096)).as("second pass adds 2").isEqualTo(1002L);
    }

    @Test
    void computeNeverTouchesMemory() {
        Interpreter cpu = load(workload(WorkloadKind.COMPUTE, VcpuWorkload.FLAT_OUT, 0, 0, 0));
        for (int i = 0; i < 100; i++) {
            assertThat(cpu.runSlice(1000)).isEqualTo(ExitReason.SLICE_END);
        }
        assertThat(bus.storeAddresses).isEmpty();
        assertThat(bus.memory).isEmpty();
    }

    @Test
    void batchesLastAboutAMillisecondAtTheTargetRate() {
        VcpuWorkload w = workload(WorkloadKind.SEQ, 200, 0, 64 * MIB, 64 * MIB);
        assertThat(GuestPrograms.batchPages(w)).isEqualTo(51);
        assertThat(GuestPrograms.batchNanos(w)).isEqualTo(996_094);
        assertThat(GuestPrograms.batchPages(workload(WorkloadKind.SEQ, 0.01, 0, MIB, MIB))).isEqualTo(1);
    }

    @Test
    void pacedWriterHitsItsRate() {
        for (double mbps : new double[] {50, 150, 300}) {
            FakeBus fresh = new FakeBus();
            Interpreter cpu = new Interpreter(GuestPrograms.build(workload(WorkloadKind.SEQ, mbps, 0, 64 * MIB, 64 * MIB)), fresh);
            runOn(fresh, cpu, 3 * SECOND, 0, NS_PER_INSTRUCTION);
            assertThat((double) fresh.storesBetween(SECOND, 3 * SECOND) / 2)
                    .as("pages/s at %s MB/s", mbps).isCloseTo(pagesPerSecond(mbps), within(pagesPerSecond(mbps) * 0.005));
        }
    }

    @Test
    void pauseOvershootBelowTheStallThresholdIsCaughtUp() {
        Interpreter cpu = load(workload(WorkloadKind.SEQ, 100, 0, 64 * MIB, 64 * MIB));
        runUntil(cpu, 3 * SECOND, 3_000_000); // every PAUSE oversleeps by 3 ms (three batches)
        assertThat((double) bus.storesBetween(SECOND, 3 * SECOND) / 2).isCloseTo(pagesPerSecond(100), within(pagesPerSecond(100) * 0.02));
    }

    @Test
    void aStalledWriterDoesNotCatchUp() {
        Interpreter cpu = load(workload(WorkloadKind.SEQ, 100, 0, 64 * MIB, 64 * MIB));
        runUntil(cpu, SECOND, 0);
        bus.clockNanos += SECOND / 2; // descheduled for half a second
        runUntil(cpu, 3 * SECOND, 0);
        double rate = pagesPerSecond(100);
        assertThat((double) bus.storesBetween(SECOND, SECOND * 3 / 2)).as("nothing ran during the stall").isZero();
        assertThat((double) bus.storesBetween(SECOND * 3 / 2, SECOND * 5 / 2)).as("no burst after it").isCloseTo(rate, within(rate * 0.01));
        assertThat((double) bus.storesBetween(0, 3 * SECOND)).as("the stall's half second is lost").isCloseTo(2.5 * rate, within(rate * 0.01));
    }

    @Test
    void pacedBurstyAlternatesTheRateAndATenthOfIt() {
        Interpreter cpu = load(workload(WorkloadKind.BURSTY, 100, 0, 64 * MIB, 64 * MIB));
        runUntil(cpu, 4 * SECOND, 0);
        double rate = pagesPerSecond(100);
        assertThat((double) bus.storesBetween(0, SECOND)).isCloseTo(rate, within(rate * 0.01));
        assertThat((double) bus.storesBetween(SECOND, 2 * SECOND)).isCloseTo(rate / 10, within(rate * 0.01));
        assertThat((double) bus.storesBetween(2 * SECOND, 3 * SECOND)).isCloseTo(rate, within(rate * 0.01));
        assertThat((double) bus.storesBetween(3 * SECOND, 4 * SECOND)).isCloseTo(rate / 10, within(rate * 0.01));
    }

    @Test
    void flatOutBurstyRunsATenthOfTheTimeInItsLowPhase() {
        Interpreter cpu = load(workload(WorkloadKind.BURSTY, VcpuWorkload.FLAT_OUT, 0, 64 * MIB, 64 * MIB));
        runOn(bus, cpu, 2 * SECOND, 0, 1000); // a slow virtual CPU keeps the store log short
        double high = bus.storesBetween(0, SECOND);
        double low = bus.storesBetween(SECOND, 2 * SECOND);
        assertThat(high).as("flat out at 1000 ns per instruction").isGreaterThan(100_000);
        assertThat(high / low).isBetween(9.0, 11.0);
    }

    @Test
    void pacedWarmupRunsAtAFiftiethOfItsRateForTwoSecondsThenAtItsRate() {
        Interpreter cpu = load(workload(WorkloadKind.WARMUP, 100, 0, 64 * MIB, 64 * MIB));
        runUntil(cpu, 4 * SECOND, 0);
        double rate = pagesPerSecond(100);
        assertThat((double) bus.storesBetween(0, 2 * SECOND) / 2).as("slow phase, pages/s").isCloseTo(rate / 50, within(rate / 50 * 0.05));
        assertThat((double) bus.storesBetween(2 * SECOND, 3 * SECOND)).as("full speed by 2.06 s").isCloseTo(rate, within(rate * 0.06));
        assertThat((double) bus.storesBetween(3 * SECOND, 4 * SECOND)).isCloseTo(rate, within(rate * 0.01));
    }

    /** Measured by batch periods (256 pages each), free of the quantisation of counting whole batches in a window. */
    @Test
    void flatOutWarmupRunsAtAFiftiethOfItsSpeedForTwoSecondsThenFlatOut() {
        Interpreter cpu = load(workload(WorkloadKind.WARMUP, VcpuWorkload.FLAT_OUT, 0, 64 * MIB, 64 * MIB));
        runOn(bus, cpu, 4 * SECOND, 0, 1000); // a slow virtual CPU keeps the store log short
        int batch = GuestPrograms.FLAT_OUT_BATCH_PAGES;
        List<Long> times = bus.storeTimes;
        double slowBatchNanos = (times.get(20 * batch) - times.get(0)) / 20.0;
        assertThat(times.get(20 * batch)).as("20 slow batches fit in the 2 s").isLessThan(2 * SECOND);
        int fastFrom = (int) bus.storesBetween(0, 3 * SECOND);
        double fastBatchNanos = (times.get(fastFrom + 100 * batch) - times.get(fastFrom)) / 100.0;
        assertThat(1e9 / fastBatchNanos * batch).as("flat out at 1000 ns per instruction, pages/s").isGreaterThan(100_000);
        assertThat(slowBatchNanos / fastBatchNanos).isBetween(48.0, 52.0);
        assertThat((double) bus.storesBetween(2 * SECOND + SECOND / 10, 3 * SECOND))
                .as("full speed from 2.1 s").isGreaterThan(0.85 * 1e9 / fastBatchNanos * batch);
    }

    @Test
    void onceStoresEachPageOnceThenReportsItsTimeAndNeverStoresAgain() {
        long base = 0x10000;
        int pages = 64;
        Interpreter cpu = load(workload(WorkloadKind.ONCE, VcpuWorkload.FLAT_OUT, base, pages * 4096L, pages * 4096L));
        ExitReason exit = runUntilExit(cpu, ExitReason.IO, 10_000);
        assertThat(exit).isEqualTo(ExitReason.IO);
        assertThat(cpu.ioPort()).isEqualTo(GuestPrograms.ONCE_DONE_PORT);
        assertThat(cpu.ioValue()).as("guest ns of the pass").isPositive().isLessThanOrEqualTo(bus.clockNanos);
        assertThat(bus.storeAddresses).hasSize(pages).doesNotHaveDuplicates().isSorted();
        assertThat(bus.storeAddresses.get(0)).isEqualTo(base);
        assertThat(bus.storeAddresses.get(pages - 1)).isEqualTo(base + (pages - 1) * 4096L);
        assertThat(runUntilExit(cpu, ExitReason.IO, 10_000)).as("computes for ever").isEqualTo(ExitReason.SLICE_END);
        assertThat(bus.storeAddresses).hasSize(pages);
    }

    @Test
    void pacedOnceTakesItsRegionOverItsRate() {
        Interpreter cpu = load(workload(WorkloadKind.ONCE, 8, 0, MIB, MIB));
        assertThat(runUntilExit(cpu, ExitReason.IO, 1_000_000)).isEqualTo(ExitReason.IO);
        assertThat(bus.storeAddresses).hasSize(256).doesNotHaveDuplicates();
        // 128 batches of 2 pages, 1/1024 s apart: the last one starts after 127 periods
        assertThat(cpu.ioValue() / 1e9).isCloseTo(127 / 1024.0, within(0.002));
    }

    /** Runs slices of 16 instructions on virtual time until {@code wanted} or {@code slices} slices; the last exit. */
    private ExitReason runUntilExit(Interpreter cpu, ExitReason wanted, int slices) {
        ExitReason exit = ExitReason.SLICE_END;
        for (int i = 0; i < slices && exit != wanted; i++) {
            exit = cpu.runSlice(16);
            bus.clockNanos += cpu.sliceInstructions() * NS_PER_INSTRUCTION;
            if (exit == ExitReason.IDLE) {
                bus.clockNanos += cpu.pauseNanos();
            } else if (exit != wanted) {
                assertThat(exit).isEqualTo(ExitReason.SLICE_END);
            }
        }
        return exit;
    }
}
