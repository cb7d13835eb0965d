package io.dirtylimit.core;

/**
 * What a vCPU would have dirtied over the last period with another sleep: its demand, as a
 * {@link ThrottlePolicy} may use it to land on a quota.
 *
 * <p>Measured: while a limit is set, every throttle point times the vCPU's cycle (awake time for the
 * pages since the previous point, then the sleep), and the cycles are grouped by unthrottled speed.
 * A group that ran at {@code u} per page when awake and took wall time {@code w} yields
 * {@code w / (u + sigma)} pages when the vCPU sleeps {@code sigma} per page, on the assumption that
 * the workload's phases keep their wall time (a burst lasts as long whether or not the vCPU sleeps
 * in it). For a vCPU that dirties at one speed this is the plain model {@code P / (tau + s)}; for a
 * bursty one it knows that sleep spent in a burst costs more pages than sleep spent in a lull.
 *
 * <p>Without timings (no throttle point in the period) the curve falls back to the plain model with
 * {@code tau} estimated from the measured rate and sleep ({@link ThrottleInput#unthrottledFillNanos()}).
 */
public final class DemandCurve {
    private final double[] awakeNanosPerPage;
    private final double[] wallNanos;
    private final double totalWallNanos;
    private final double pagesPerPoint;
    private final int pageSize;
    private final double linearUnthrottledFillNanos;

    private DemandCurve(double[] awakeNanosPerPage, double[] wallNanos, double pagesPerPoint, int pageSize,
            double linearUnthrottledFillNanos) {
        this.awakeNanosPerPage = awakeNanosPerPage;
        this.wallNanos = wallNanos;
        double total = 0;
        for (double w : wallNanos) {
            total += w;
        }
        this.totalWallNanos = total;
        this.pagesPerPoint = pagesPerPoint;
        this.pageSize = pageSize;
        this.linearUnthrottledFillNanos = linearUnthrottledFillNanos;
    }

    /** The plain model: one speed, {@code tau} per point (NaN: nothing known). */
    static DemandCurve linear(double unthrottledFillNanos, double pagesPerPoint, int pageSize) {
        return new DemandCurve(new double[0], new double[0], pagesPerPoint, pageSize, unthrottledFillNanos);
    }

    /** From the difference of two histogram snapshots; falls back to {@code linearFillNanos} if empty. */
    static DemandCurve measured(long[] before, long[] after, double pagesPerPoint, int pageSize, double linearFillNanos) {
        int buckets = 0;
        for (int b = 0; b < DemandHistogram.BUCKETS; b++) {
            if (delta(before, after, b, DemandHistogram.PAGES) > 0) {
                buckets++;
            }
        }
        double[] speeds = new double[buckets];
        double[] walls = new double[buckets];
        for (int b = 0, i = 0; b < DemandHistogram.BUCKETS; b++) {
            long pages = delta(before, after, b, DemandHistogram.PAGES);
            if (pages > 0) {
                speeds[i] = Math.max(delta(before, after, b, DemandHistogram.AWAKE), 1) / (double) pages;
                walls[i] = Math.max(delta(before, after, b, DemandHistogram.WALL), 1);
                i++;
            }
        }
        return new DemandCurve(speeds, walls, pagesPerPoint, pageSize, linearFillNanos);
    }

    private static long delta(long[] before, long[] after, int bucket, int what) {
        int slot = DemandHistogram.slot(bucket, what);
        return after[slot] - before[slot];
    }

    /** Whether the curve comes from throttle-point timings (true) or from the plain model (false). */
    public boolean isMeasured() {
        return totalWallNanos > 0;
    }

    /**
     * The rate, MB/s, the vCPU would have had over the last period sleeping
     * {@code sleepNanosPerPoint} per throttle point; NaN if nothing is known.
     */
    public double rateAt(double sleepNanosPerPoint) {
        double sleepPerPage = Math.max(0, sleepNanosPerPoint) / pagesPerPoint;
        if (!isMeasured()) {
            double fill = linearUnthrottledFillNanos + sleepPerPage * pagesPerPoint;
            return Units.mbPerSec(1, 1, pageSize) * pagesPerPoint / fill;
        }
        double pages = 0;
        for (int i = 0; i < wallNanos.length; i++) {
            pages += wallNanos[i] / (awakeNanosPerPage[i] + sleepPerPage);
        }
        return Units.mbPerSec(1, 1, pageSize) * pages / totalWallNanos;
    }

    /**
     * The sleep per throttle point, ns, at which {@link #rateAt} equals {@code mbPerSec}: 0 if the
     * vCPU stays below it unthrottled, NaN if nothing is known. Never more than the time one point's
     * pages take at {@code mbPerSec}, which holds even an infinitely fast vCPU to it.
     */
    public double sleepNanosPerPointFor(double mbPerSec) {
        if (Double.isNaN(rateAt(0))) {
            return Double.NaN;
        }
        if (rateAt(0) <= mbPerSec) {
            return 0;
        }
        double low = 0;
        double high = Units.nanosToDirty(pagesPerPoint, mbPerSec, pageSize);
        for (int i = 0; i < 64 && high - low > 1e-3; i++) {
            double mid = (low + high) / 2;
            if (rateAt(mid) > mbPerSec) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }
}
