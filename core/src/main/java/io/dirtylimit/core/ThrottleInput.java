package io.dirtylimit.core;

/**
 * What a {@link ThrottlePolicy} sees of one limited vCPU at the end of a control period.
 *
 * <p>A <em>throttle point</em> is where the vCPU may sleep: its emulator's ring-full exit, and every
 * quantum of dirtied pages when the limiter places quantum points. Policies speak in "sleep per
 * throttle point", as QEMU's {@code throttle_us_per_full} does; the core spreads that sleep over
 * the pages dirtied between points, so that ring-full and quantum points never charge twice.
 *
 * @param cpuIndex the vCPU's index
 * @param quotaMBps the limit, MB/s (&gt; 0)
 * @param measuredMBps the dirty rate measured over the period that just ended, MB/s (&gt;= 0)
 * @param sleepNanosPerPoint the sleep per throttle point in effect during that period, ns
 * @param periodNanos the measured length of that period, ns
 * @param pagesPerPoint pages dirtied between throttle points (the quantum, or the ring size when
 *     only ring-full points throttle)
 * @param pageSize the guest page size, bytes
 * @param demand what the vCPU would have dirtied over the period with another sleep
 */
public record ThrottleInput(
        int cpuIndex,
        double quotaMBps,
        double measuredMBps,
        double sleepNanosPerPoint,
        long periodNanos,
        double pagesPerPoint,
        int pageSize,
        DemandCurve demand) {

    /**
     * Nanoseconds a vCPU running at {@code mbPerSec} takes to dirty one throttle point's pages
     * (QEMU's "ring full time" when a point is a ring).
     */
    public double fillNanosAt(double mbPerSec) {
        return Units.nanosToDirty(pagesPerPoint, mbPerSec, pageSize);
    }

    /**
     * The time the vCPU needs to dirty one throttle point's pages when it does not sleep, estimated
     * from the last period: the measured time per point minus the sleep per point. Measurement noise
     * can push that difference to or below zero, so it is kept at least {@value #MIN_UNTHROTTLED_SHARE}
     * of the measured time per point. NaN when the vCPU dirtied nothing (nothing to learn from).
     */
    public double unthrottledFillNanos() {
        return unthrottledFillNanos(measuredMBps, sleepNanosPerPoint, pagesPerPoint, pageSize);
    }

    static double unthrottledFillNanos(double measuredMBps, double sleepNanosPerPoint, double pagesPerPoint,
            int pageSize) {
        if (!(measuredMBps > 0)) {
            return Double.NaN;
        }
        double measuredFill = Units.nanosToDirty(pagesPerPoint, measuredMBps, pageSize);
        return Math.max(measuredFill - sleepNanosPerPoint, MIN_UNTHROTTLED_SHARE * measuredFill);
    }

    /** The floor of {@link #unthrottledFillNanos()}, as a share of the measured time per point. */
    public static final double MIN_UNTHROTTLED_SHARE = 1e-3;
}
