package io.dirtylimit.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A limited vCPU's throttle-point cycles, by unthrottled speed. Each cycle is the pages dirtied
 * between two throttle points: the time it was awake for them (from the end of the previous sleep to
 * the point) and its wall time (awake plus the sleep at the point). Cycles are summed into buckets
 * by awake time per page, one bucket per power of two nanoseconds.
 *
 * <p>Written with atomic adds (normally by the vCPU thread alone; several feeding threads never lose
 * a cycle); the controller reads with getOpaque and takes
 * differences from its last snapshot, so nothing is lost between periods. The three sums of a bucket
 * are not updated atomically together: a read racing a write can see one cycle half-counted for one
 * period, which the next period's difference corrects.
 */
final class DemandHistogram {
    static final int BUCKETS = 48;
    static final int PAGES = 0;
    static final int AWAKE = 1;
    static final int WALL = 2;
    private static final int SLOTS = 3;
    private static final VarHandle SUMS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] sumsOpaque = new long[BUCKETS * SLOTS];

    /** vCPU thread: one cycle of {@code pages} pages. */
    void record(long pages, long awakeNanos, long wallNanos) {
        int base = bucket(awakeNanos / pages) * SLOTS;
        add(base + PAGES, pages);
        add(base + AWAKE, awakeNanos);
        add(base + WALL, wallNanos);
    }

    private void add(int slot, long amount) {
        SUMS.getAndAdd(sumsOpaque, slot, amount);
    }

    static int bucket(long nanosPerPage) {
        return Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(Math.max(0, nanosPerPage)));
    }

    /** Controller: copies the current sums into {@code into}, which must hold {@link #size()} longs. */
    void snapshot(long[] into) {
        for (int i = 0; i < into.length; i++) {
            into[i] = (long) SUMS.getOpaque(sumsOpaque, i);
        }
    }

    static int size() {
        return BUCKETS * SLOTS;
    }

    static int slot(int bucket, int what) {
        return bucket * SLOTS + what;
    }
}
