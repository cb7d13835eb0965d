package io.dirtylimit.examples.toyvm;

/**
 * Assembles the guest program of each workload. Writers run batches of page units; a paced
 * writer then reads the guest clock and PAUSEs until its schedule says the next batch is due.
 *
 * <p>No catching up after a stall: a writer more than {@link #STALL_NANOS} behind its schedule
 * drops the lost time and restarts its schedule from now, as a real guest that was descheduled
 * (or throttled) would. Lateness below that threshold (timer overshoot of PAUSE) is caught up
 * by the next batches, so that pacing is accurate.
 *
 * <p>Warm-up ({@link WorkloadKind#WARMUP}): for the first {@link #WARMUP_NANOS} of guest time a
 * paced writer schedules its batches {@link #WARMUP_SLOWDOWN} times further apart (rate / 50); a
 * flat-out writer does 49 times a page store's instructions of arithmetic per page it stores, as
 * slow code would, so it runs at 1/50 of its flat-out speed in instructions (stores cost the
 * interpreter more than arithmetic, so in time it is somewhat less slow). The extra work is a
 * fixed number of instructions, not a share of the time a batch took, so a vCPU that is throttled
 * in its slow phase is not made slower still. From then on it is seq.
 *
 * <p>Once ({@link WorkloadKind#ONCE}): one pass over the region, then {@code OUT} of the elapsed
 * guest nanoseconds to {@link #ONCE_DONE_PORT}, then arithmetic only, forever.
 */
final class GuestPrograms {
    /** Lateness beyond which a paced guest considers itself stalled and forgets the lost time. */
    static final long STALL_NANOS = 10_000_000L;
    /** Paced batches aim at this period; shorter ones cost more PAUSE exits. */
    static final long BATCH_PERIOD_NANOS = 1_000_000L;
    /** Pages per batch when flat out (bounds a bursty writer's low-phase duty cycle). */
    static final int FLAT_OUT_BATCH_PAGES = 256;
    static final long BURST_PHASE_NANOS = 1_000_000_000L;
    /** The low phase of a bursty writer runs at rate / BURST_RATIO. */
    static final int BURST_RATIO = 10;
    /** A warm-up writer runs this many times slower during its slow phase. */
    static final int WARMUP_SLOWDOWN = 50;
    /** Length of a warm-up writer's slow phase, from its first instruction. */
    static final long WARMUP_NANOS = 2_000_000_000L;
    /** Instructions a flat-out seq writer runs per page: the unit's four and the batch loop's two. */
    static final int SEQ_INSTRUCTIONS_PER_PAGE = 6;
    /** Iterations of a two-instruction loop per page in the slow phase: 49 pages' worth of instructions. */
    static final int SLOW_LOOPS_PER_PAGE = (WARMUP_SLOWDOWN - 1) * SEQ_INSTRUCTIONS_PER_PAGE / 2;
    /** The I/O port a once writer reports to, with the nanoseconds its pass took. */
    static final int ONCE_DONE_PORT = 0xd0;

    // Register map, shared by all workloads. r0 stays zero.
    private static final int ZERO = 0;
    private static final int BASE = 1;
    private static final int END = 2;
    private static final int CURSOR = 3;
    private static final int VALUE = 4;
    private static final int COUNT = 5;
    private static final int T0 = 6;
    private static final int T1 = 7;
    private static final int NOW = 8;
    private static final int NEXT = 9;
    private static final int BATCH_NS = 10;
    private static final int PHASE_END = 11;
    private static final int TOGGLE = 12;
    private static final int RNG = 13;
    private static final int DEST = 14; // copy only
    private static final int START = 14; // once only: guest clock at the start of the pass
    private static final int WORDS = 15;

    private GuestPrograms() {}

    static Program build(VcpuWorkload w) {
        if (w.kind() == WorkloadKind.COMPUTE) {
            return computeLoop(new Assembler(), "loop", w.seed()).assemble();
        }
        Assembler a = new Assembler();
        prologue(a, w);
        a.label("loop");
        if (w.flatOut() && w.kind() == WorkloadKind.BURSTY) {
            a.clock(NEXT); // batch start, for the duty cycle of the low phase
        }
        a.loadi(COUNT, batchPages(w));
        a.label("unit");
        unit(a, w);
        a.subi(COUNT, COUNT, 1);
        a.bne(COUNT, ZERO, "unit");
        if (w.kind() == WorkloadKind.BURSTY) {
            switchPhaseWhenDue(a);
        }
        if (w.kind() == WorkloadKind.WARMUP) {
            warmUp(a, w);
        }
        if (!w.flatOut()) {
            pace(a);
        } else if (w.kind() == WorkloadKind.BURSTY) {
            idleNineTenthsInLowPhase(a);
        }
        a.jmp("loop");
        if (w.kind() == WorkloadKind.ONCE) {
            reportPassThenCompute(a, w.seed());
        }
        return a.assemble();
    }

    /** Pages per batch: about {@link #BATCH_PERIOD_NANOS} of work at the target rate. */
    static long batchPages(VcpuWorkload w) {
        if (w.flatOut()) {
            return FLAT_OUT_BATCH_PAGES;
        }
        return Math.max(1, Math.round(pagesPerSecond(w) * BATCH_PERIOD_NANOS / 1e9));
    }

    /** Guest-clock nanoseconds one batch should take at the target rate. */
    static long batchNanos(VcpuWorkload w) {
        return Math.max(1, Math.round(batchPages(w) * 1e9 / pagesPerSecond(w)));
    }

    private static double pagesPerSecond(VcpuWorkload w) {
        return w.rateMbps() * Units.MIB / GuestMemory.PAGE_SIZE;
    }

    private static void prologue(Assembler a, VcpuWorkload w) {
        a.loadi(BASE, w.base());
        a.loadi(END, w.base() + regionBytesUsed(w));
        a.mov(CURSOR, BASE);
        a.loadi(VALUE, (long) w.vcpu() << 48 | 1);
        a.loadi(RNG, w.seed() == 0 ? 0x9E3779B97F4A7C15L : w.seed());
        if (w.kind() == WorkloadKind.COPY) {
            a.loadi(DEST, copyDestination(w));
        }
        if (!w.flatOut()) {
            boolean warmingUp = w.kind() == WorkloadKind.WARMUP;
            a.loadi(BATCH_NS, warmingUp ? batchNanos(w) * WARMUP_SLOWDOWN : batchNanos(w));
            a.loadi(TOGGLE, batchNanos(w) ^ batchNanos(w) * BURST_RATIO);
        }
        a.clock(NEXT);
        a.addi(PHASE_END, NEXT, w.kind() == WorkloadKind.WARMUP ? WARMUP_NANOS : BURST_PHASE_NANOS);
        if (w.kind() == WorkloadKind.ONCE) {
            a.mov(START, NEXT);
        }
    }

    private static long regionBytesUsed(VcpuWorkload w) {
        return w.kind() == WorkloadKind.RANDOM ? w.workingSet() : w.size();
    }

    private static long copyDestination(VcpuWorkload w) {
        return w.base() + (w.size() / 2 / GuestMemory.PAGE_SIZE) * GuestMemory.PAGE_SIZE;
    }

    private static void unit(Assembler a, VcpuWorkload w) {
        switch (w.kind()) {
            case SEQ, BURSTY, WARMUP -> sequentialPageStore(a);
            case ONCE -> sequentialPageStoreOnce(a);
            case RANDOM -> randomPageStore(a, w.workingSet() / GuestMemory.PAGE_SIZE);
            case COPY -> copyPage(a, w);
            default -> throw new IllegalArgumentException("not a writer: " + w.kind());
        }
    }

    private static void sequentialPageStore(Assembler a) {
        a.store(CURSOR, 0, VALUE);
        a.addi(VALUE, VALUE, 1);
        a.addi(CURSOR, CURSOR, GuestMemory.PAGE_SIZE);
        a.blt(CURSOR, END, "seq_next");
        a.mov(CURSOR, BASE);
        a.label("seq_next");
    }

    /** Like {@link #sequentialPageStore}, but leaves the batch loop at the end of the region. */
    private static void sequentialPageStoreOnce(Assembler a) {
        a.store(CURSOR, 0, VALUE);
        a.addi(VALUE, VALUE, 1);
        a.addi(CURSOR, CURSOR, GuestMemory.PAGE_SIZE);
        a.bge(CURSOR, END, "once_done");
    }

    /** Once: OUT the pass's guest nanoseconds to the done port, then compute for ever. */
    private static void reportPassThenCompute(Assembler a, long seed) {
        a.label("once_done");
        a.clock(NOW);
        a.sub(T0, NOW, START);
        a.out(ONCE_DONE_PORT, T0);
        computeLoop(a, "once_compute", seed);
    }

    /** xorshift64 picks a page of the working set. */
    private static void randomPageStore(Assembler a, long workingSetPages) {
        a.shli(T0, RNG, 13).xor(RNG, RNG, T0);
        a.shri(T0, RNG, 7).xor(RNG, RNG, T0);
        a.shli(T0, RNG, 17).xor(RNG, RNG, T0);
        a.remui(T0, RNG, workingSetPages);
        a.shli(T0, T0, GuestMemory.PAGE_SHIFT);
        a.add(T0, T0, BASE);
        a.store(T0, 0, VALUE);
        a.addi(VALUE, VALUE, 1);
    }

    /** Copies one page, word by word, adding the pass number so the data keeps changing. */
    private static void copyPage(Assembler a, VcpuWorkload w) {
        a.loadi(WORDS, GuestMemory.WORDS_PER_PAGE);
        a.label("copy_word");
        a.load(T0, CURSOR, 0);
        a.add(T0, T0, VALUE);
        a.store(DEST, 0, T0);
        a.addi(CURSOR, CURSOR, Long.BYTES);
        a.addi(DEST, DEST, Long.BYTES);
        a.subi(WORDS, WORDS, 1);
        a.bne(WORDS, ZERO, "copy_word");
        a.blt(DEST, END, "copy_next");
        a.mov(CURSOR, BASE);
        a.loadi(DEST, copyDestination(w));
        a.addi(VALUE, VALUE, 1);
        a.label("copy_next");
    }

    /** Bursty: every phase, flip between the rate and a tenth of it. */
    private static void switchPhaseWhenDue(Assembler a) {
        a.clock(NOW);
        a.blt(NOW, PHASE_END, "same_phase");
        a.addi(PHASE_END, NOW, BURST_PHASE_NANOS);
        a.xor(BATCH_NS, BATCH_NS, TOGGLE); // paced: batch period x10 or /10
        a.xori(T1, T1, 1); // flat out: T1 != 0 in the low phase
        a.label("same_phase");
    }

    /** Schedule: NEXT += batch period; PAUSE when early; when far behind, restart from now. */
    private static void pace(Assembler a) {
        a.add(NEXT, NEXT, BATCH_NS);
        a.clock(NOW);
        a.sub(T0, NEXT, NOW);
        a.blt(ZERO, T0, "early");
        a.addi(T0, T0, STALL_NANOS);
        a.bge(T0, ZERO, "paced");
        a.mov(NEXT, NOW); // stalled: that time is lost, no catching up
        a.jmp("paced");
        a.label("early");
        a.pause(T0);
        a.label("paced");
    }

    /**
     * Warm-up slow phase, until PHASE_END. Paced: the batch period stays x50 until then, and
     * drops to the normal one after. Flat out: 49 pages' worth of arithmetic per page stored.
     */
    private static void warmUp(Assembler a, VcpuWorkload w) {
        a.clock(NOW);
        if (!w.flatOut()) {
            a.blt(NOW, PHASE_END, "warming_up");
            a.loadi(BATCH_NS, batchNanos(w));
            a.label("warming_up");
            return;
        }
        a.bge(NOW, PHASE_END, "warmed_up");
        a.loadi(T0, batchPages(w) * SLOW_LOOPS_PER_PAGE);
        a.label("slow_code");
        a.subi(T0, T0, 1);
        a.bne(T0, ZERO, "slow_code");
        a.label("warmed_up");
    }

    /** Flat-out bursty low phase: idle nine times as long as the batch took. */
    private static void idleNineTenthsInLowPhase(Assembler a) {
        a.beq(T1, ZERO, "high_phase");
        a.clock(NOW);
        a.sub(T0, NOW, NEXT);
        a.muli(T0, T0, BURST_RATIO - 1);
        a.pause(T0);
        a.label("high_phase");
    }

    /** An LCG mixed into an accumulator: arithmetic only, no memory access. */
    private static Assembler computeLoop(Assembler a, String label, long seed) {
        return a.loadi(RNG, seed)
                .label(label)
                .muli(RNG, RNG, 6364136223846793005L)
                .addi(RNG, RNG, 1442695040888963407L)
                .shri(T0, RNG, 29)
                .xor(VALUE, VALUE, T0)
                .add(T1, T1, VALUE)
                .jmp(label);
    }
}
