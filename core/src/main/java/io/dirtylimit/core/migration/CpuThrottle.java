package io.dirtylimit.core.migration;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A whole-guest CPU throttle in the style of QEMU's auto-converge ({@code cpu_throttle}): at
 * {@code pct} %, every vCPU sleeps {@code pct / (100 - pct)} x the time it ran, once per
 * {@link #TIMESLICE_NANOS} of running, at its vcpu-step throttle points. It slows every vCPU,
 * dirtying or not: the baseline the dirty limit is compared with.
 */
public final class CpuThrottle {
    /** QEMU's CPU_THROTTLE_TIMESLICE_NS. */
    static final long TIMESLICE_NANOS = 10_000_000L;
    /** Longest single sleep, so lifting the throttle wakes vCPUs quickly. */
    static final long SLEEP_CHUNK_NANOS = 10_000_000L;
    static final int INITIAL_PERCENT = 20;
    static final int INCREMENT_PERCENT = 10;
    static final int MAX_PERCENT = 99;

    private final LongSupplier nanos;
    private final LongConsumer sleeper;
    /** Written by the governor, read by every vCPU at its throttle points. */
    private volatile int percentVolatile;
    /** Per vCPU thread: when its current timeslice of running began (0: not yet). */
    private final ThreadLocal<long[]> sliceStart = ThreadLocal.withInitial(() -> new long[1]);

    /**
     * A throttle on injected time.
     *
     * @param nanos the clock
     * @param sleeper sleeps the calling thread for the given nanoseconds (a fake advances the clock)
     */
    public CpuThrottle(LongSupplier nanos, LongConsumer sleeper) {
        this.nanos = nanos;
        this.sleeper = sleeper;
    }

    /**
     * A throttle on the system clock, sleeping with {@code LockSupport.parkNanos}.
     *
     * @return the throttle
     */
    public static CpuThrottle realTime() {
        return new CpuThrottle(System::nanoTime, java.util.concurrent.locks.LockSupport::parkNanos);
    }

    /**
     * The throttle in force.
     *
     * @return 0 (off) to {@value #MAX_PERCENT}
     */
    public int percent() {
        return percentVolatile;
    }

    /** QEMU's step: the initial percentage, then +10 each time, at most 99. */
    public void increase() {
        int now = percentVolatile;
        percentVolatile = now == 0 ? INITIAL_PERCENT : Math.min(MAX_PERCENT, now + INCREMENT_PERCENT);
    }

    /** Off: vCPUs asleep in it wake within one sleep chunk. */
    public void stop() {
        percentVolatile = 0;
    }

    /**
     * A vCPU's throttle point: sleeps its share once a timeslice of running has passed. An
     * interrupted thread does not sleep (parking would return at once, again and again): it returns
     * at once with its interrupt status kept, for the emulator to act on.
     */
    public void step() {
        int pct = percentVolatile;
        if (pct == 0) {
            return;
        }
        long[] start = sliceStart.get();
        long now = nanos.getAsLong();
        // A stale start (throttle off meanwhile) counts as at most two timeslices of running.
        long ran = start[0] == 0 ? 0 : Math.min(now - start[0], 2 * TIMESLICE_NANOS);
        if (start[0] != 0 && ran < TIMESLICE_NANOS) {
            return;
        }
        if (ran > 0) {
            sleep(ran * pct / (100 - pct));
        }
        start[0] = nanos.getAsLong();
    }

    private void sleep(long total) {
        long deadline = nanos.getAsLong() + total;
        long remaining;
        while ((remaining = deadline - nanos.getAsLong()) > 0 && percentVolatile != 0 && !Thread.currentThread().isInterrupted()) {
            sleeper.accept(Math.min(remaining, SLEEP_CHUNK_NANOS));
        }
    }
}
