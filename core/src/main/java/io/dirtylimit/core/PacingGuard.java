package io.dirtylimit.core;

/**
 * The pacing clock behind the limit guarantee: a GCRA (a token bucket) per vCPU, consulted at every
 * throttle point on the vCPU's own thread. Used only by that thread; no lock, no allocation.
 *
 * <p>The clock keeps the <em>theoretical arrival time</em> {@code tat}: the moment by which every
 * page charged so far is earned at the quota ({@code T} = time per page at the quota). A throttle
 * point charges the pages dirtied since the previous one, {@code tat += pages * T}, and the vCPU
 * must wait until {@code tat}. {@code tat} never falls more than one burst ({@code burstPages * T})
 * behind the present, so a vCPU that was idle or slow banks at most one burst of credit: that credit
 * is what lets a steady vCPU run exactly at its quota (it absorbs the time spent dirtying between
 * points and any oversleep) instead of below it.
 *
 * <p>The bound that follows: from the moment a limit applies, the pages a vCPU dirties over any
 * window {@code W} are at most {@code quota * W + burst + pages in flight}, where both the burst and
 * the pages in flight (dirtied since the last throttle point, not yet seen) are one throttle point's
 * pages. Quantum points are placed finely enough under the guard (every 2 ms at the quota) that the
 * two together stay within 4 % of the quota over 100 ms.
 */
final class PacingGuard {
    /** Longest time per page the guard charges (60 s: a limit below 4 KiB per minute is held there). */
    static final long MAX_PICOS_PER_PAGE = 60_000_000_000_000L;
    private static final long PICOS_PER_NANO = 1000;

    /** {@code tat} as nanoseconds on the ticker plus picoseconds 0..999. */
    private long tatNanosPlain;
    private long tatPicosPlain;

    /** A new limit: no credit, no debt; the clock starts now. */
    void restart(long nowNanos) {
        tatNanosPlain = nowNanos;
        tatPicosPlain = 0;
    }

    /**
     * Charges {@code pages} dirtied by {@code nowNanos} at {@code picosPerPage} and returns how long
     * the vCPU must wait before it goes on (0 when it is not ahead of its quota). {@code burstPages}
     * is the credit a slow or idle vCPU may keep.
     */
    long waitNanos(long pages, long burstPages, long picosPerPage, long nowNanos) {
        keepWithinOneBurst(saturatedProduct(burstPages, picosPerPage), nowNanos);
        advance(saturatedProduct(pages, picosPerPage));
        return Math.max(0, tatNanosPlain - nowNanos);
    }

    /** {@code a * b} for non-negative operands, held at a quarter of the long range (never wraps). */
    private static long saturatedProduct(long a, long b) {
        long cap = Long.MAX_VALUE / 4;
        return a != 0 && b > cap / a ? cap : a * b;
    }

    /** {@code tat = max(tat, now - burst)}: credit beyond one burst is forgotten. */
    private void keepWithinOneBurst(long burstPicos, long nowNanos) {
        long earliestNanos = nowNanos - burstPicos / PICOS_PER_NANO;
        long earliestPicos = -(burstPicos % PICOS_PER_NANO);
        if (earliestPicos < 0) {
            earliestNanos--;
            earliestPicos += PICOS_PER_NANO;
        }
        if (tatNanosPlain < earliestNanos || (tatNanosPlain == earliestNanos && tatPicosPlain < earliestPicos)) {
            tatNanosPlain = earliestNanos;
            tatPicosPlain = earliestPicos;
        }
    }

    private void advance(long picos) {
        long sum = tatPicosPlain + picos;
        tatNanosPlain += sum / PICOS_PER_NANO;
        tatPicosPlain = sum % PICOS_PER_NANO;
    }

    /** Picoseconds per page at {@code quotaMBps}, capped at {@link #MAX_PICOS_PER_PAGE}; 0 for no quota. */
    static long picosPerPage(double quotaMBps, int pageSize) {
        if (!(quotaMBps > 0)) {
            return 0;
        }
        double picos = 1e12 / Units.pagesPerSecond(quotaMBps, pageSize);
        return Math.max(1, Math.round(Math.min(picos, MAX_PICOS_PER_PAGE)));
    }
}
