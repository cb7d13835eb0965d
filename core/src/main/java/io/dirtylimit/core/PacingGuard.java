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
 * <p>One exception to "one burst": a wait of ours that the OS ends late (a loaded machine wakes a
 * thread milliseconds after its timer) took time the guest did not give up. That lateness is owed
 * back, up to {@link #MAX_OWED_NANOS}: the clock lets the vCPU fall that much further behind and catch
 * up, so its mean rate stays on the quota. On virtual time nothing is ever late.
 *
 * <p>The bound that follows: from the moment a limit applies, the pages a vCPU dirties over any
 * window {@code W} are at most {@code quota * W + burst + pages in flight} (plus, on a real clock,
 * what late wake-ups are owed), where both the burst and the pages in flight (dirtied since the last
 * throttle point, not yet seen) are one throttle point's pages. Quantum points are placed finely
 * enough under the guard (every 2 ms at the quota) that the two together stay within 4 % of the
 * quota over 100 ms.
 */
final class PacingGuard {
    /** Longest time per page the guard charges (60 s: a limit below 4 KiB per minute is held there). */
    static final long MAX_PICOS_PER_PAGE = 60_000_000_000_000L;
    /** Most lateness of our own waits owed back at once. */
    static final long MAX_OWED_NANOS = 20_000_000;
    private static final long PICOS_PER_NANO = 1000;

    /** {@code tat} as nanoseconds on the ticker plus picoseconds 0..999. */
    private long tatNanosPlain;
    private long tatPicosPlain;
    /** Lateness of our waits not made up yet, nanoseconds. */
    private long owedNanosPlain;

    /** A new limit: no credit, no debt; the clock starts now. */
    void restart(long nowNanos) {
        tatNanosPlain = nowNanos;
        tatPicosPlain = 0;
        owedNanosPlain = 0;
    }

    /**
     * Charges {@code pages} dirtied by {@code nowNanos} at {@code picosPerPage} and returns how long
     * the vCPU must wait before it goes on (0 when it is not ahead of its quota). {@code burstPages}
     * is the credit a slow or idle vCPU may keep.
     */
    long waitNanos(long pages, long burstPages, long picosPerPage, long nowNanos) {
        long burstPicos = saturatedProduct(burstPages, picosPerPage);
        keepWithin(burstPicos + owedNanosPlain * PICOS_PER_NANO, nowNanos);
        owedNanosPlain = Math.max(0, Math.min(owedNanosPlain, nowNanos - tatNanosPlain - burstPicos / PICOS_PER_NANO));
        advance(saturatedProduct(pages, picosPerPage));
        return Math.max(0, tatNanosPlain - nowNanos);
    }

    /** The vCPU woke from a wait at {@code wokeNanos}: past {@code tat}, the lateness is owed back. */
    void woke(long wokeNanos) {
        long late = wokeNanos - tatNanosPlain;
        if (late > 0) {
            owedNanosPlain = Math.min(owedNanosPlain + late, MAX_OWED_NANOS);
        }
    }

    /** {@code a * b} for non-negative operands, held at a quarter of the long range (never wraps). */
    private static long saturatedProduct(long a, long b) {
        long cap = Long.MAX_VALUE / 4;
        return a != 0 && b > cap / a ? cap : a * b;
    }

    /** {@code tat = max(tat, now - allowance)}: credit beyond it is forgotten. */
    private void keepWithin(long allowancePicos, long nowNanos) {
        long earliestNanos = nowNanos - allowancePicos / PICOS_PER_NANO;
        long earliestPicos = -(allowancePicos % PICOS_PER_NANO);
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
