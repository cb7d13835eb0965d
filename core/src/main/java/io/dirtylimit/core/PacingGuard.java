package io.dirtylimit.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The pacing clock behind the limit guarantee: a GCRA (a token bucket) per vCPU, consulted at every
 * throttle point on the thread that hits it. No lock, no allocation; {@code tat} advances by
 * compare-and-set, so threads feeding one vCPU at once charge every page exactly once.
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
    /** Charges are held below this (a quarter of the long range), so sums never wrap. */
    private static final long MAX_CHARGE_NANOS = Long.MAX_VALUE / 4;
    private static final VarHandle TAT_NANOS;
    private static final VarHandle OWED_NANOS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAT_NANOS = lookup.findVarHandle(PacingGuard.class, "tatNanosOpaque", long.class);
            OWED_NANOS = lookup.findVarHandle(PacingGuard.class, "owedNanosOpaque", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code tat}, on the ticker; advanced by compare-and-set. */
    private long tatNanosOpaque;
    /** Lateness of our waits not made up yet (best effort between threads: it only shifts credit). */
    private long owedNanosOpaque;

    /** A new limit: no credit, no debt; the clock starts now. */
    void restart(long nowNanos) {
        OWED_NANOS.setOpaque(this, 0L);
        TAT_NANOS.setVolatile(this, nowNanos);
    }

    /**
     * Charges {@code pages} dirtied by {@code nowNanos} at {@code picosPerPage} and returns how long
     * the caller must wait before it goes on (0 when the vCPU is not ahead of its quota).
     * {@code burstPages} is the credit a slow or idle vCPU may keep.
     */
    long waitNanos(long pages, long burstPages, long picosPerPage, long nowNanos) {
        long burstNanos = chargeNanos(burstPages, picosPerPage);
        long charge = chargeNanos(pages, picosPerPage);
        long owed = (long) OWED_NANOS.getOpaque(this);
        while (true) {
            long tat = (long) TAT_NANOS.getOpaque(this);
            long base = Math.max(tat, nowNanos - burstNanos - owed); // credit beyond the allowance is forgotten
            if (TAT_NANOS.compareAndSet(this, tat, base + charge)) {
                OWED_NANOS.setOpaque(this, Math.max(0, Math.min(owed, nowNanos - base - burstNanos)));
                return Math.max(0, base + charge - nowNanos);
            }
        }
    }

    /** The caller woke from a wait at {@code wokeNanos}: past {@code tat}, the lateness is owed back. */
    void woke(long wokeNanos) {
        long late = wokeNanos - (long) TAT_NANOS.getOpaque(this);
        if (late > 0) {
            OWED_NANOS.setOpaque(this, Math.min((long) OWED_NANOS.getOpaque(this) + late, MAX_OWED_NANOS));
        }
    }

    /** {@code pages * picosPerPage} in nanoseconds, rounded up (never lets a page through early), capped. */
    static long chargeNanos(long pages, long picosPerPage) {
        if (pages <= 0) {
            return 0;
        }
        if (picosPerPage > MAX_CHARGE_NANOS / pages) {
            return MAX_CHARGE_NANOS;
        }
        return Math.min(MAX_CHARGE_NANOS, (pages * picosPerPage + PICOS_PER_NANO - 1) / PICOS_PER_NANO);
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
