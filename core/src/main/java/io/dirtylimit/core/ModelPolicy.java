package io.dirtylimit.core;

/**
 * Our default policy: land on the quota from a model of the vCPU, then trim what the model missed.
 *
 * <p>The model: a vCPU that needs {@code tau} to dirty one throttle point's {@code P} pages when it
 * does not sleep, and sleeps {@code s} per point, runs at {@code r = P / (tau + s)}. One period's
 * measurement gives {@code tau = P/r - s}; the sleep that lands exactly on the quota {@code q} is
 * {@code s* = P/q - tau} (that is {@code s + P*(1/q - 1/r)}). The core measures more than the mean:
 * the {@link DemandCurve} knows how the vCPU's pages split between fast and slow phases, so for a
 * bursty vCPU the landing accounts for sleep in a burst costing more pages than sleep in a lull; for
 * a steady one it is exactly {@code P/q - tau}. Either way the first period after a limit is set is
 * enough to land on it, whatever the rate, the ring size or the quantum.
 *
 * <p>Measurements are noisy, so a new landing is only taken when it moves the sleep by more than
 * {@value #RELAND_SHARE} of the quota's time per point {@code P/q} (the workload changed). Smaller
 * errors are trimmed by a bounded integral term: it takes up {@value #TRIM_GAIN} of the remaining
 * error (in time per point) each period, stays within {@value #TRIM_BOUND} of {@code P/q}, and is
 * frozen while the sleep is pinned at 0 or at {@code P/q} (anti-windup). It ignores errors of less
 * than one throttle point's pages over the period: a period boundary cuts a cycle anywhere, so a
 * sample is only that precise.
 *
 * <p>Edge cases: a period with nothing dirtied keeps the sleep (the vCPU was idle, there is nothing to
 * learn); noisy {@code tau} estimates at or below zero are clamped
 * ({@link ThrottleInput#unthrottledFillNanos()}); the sleep stays within {@code [0, P/q]}, since
 * sleeping {@code P/q} per point holds even an infinitely fast vCPU to the quota, so no measurement,
 * however wild, can make it sleep longer.
 *
 * <p>State is kept per page, so a change of the pages per point (which follows the quota) does not
 * disturb it.
 */
final class ModelPolicy implements ThrottlePolicy<ModelPolicy.Landing> {
    /** A landing that moves the sleep by more than this share of P/q is taken at once. */
    static final double RELAND_SHARE = 0.02;
    /** Share of the remaining error (in time per point) the trim takes up each period. */
    static final double TRIM_GAIN = 0.5;
    /** Bound of the trim, as a share of P/q. */
    static final double TRIM_BOUND = 0.10;

    /** Per-vCPU state, per page. */
    static final class Landing {
        double sleepNanosPerPage = Double.NaN;
        double trimNanosPerPage;
    }

    @Override
    public Landing newState() {
        return new Landing();
    }

    @Override
    public double nextSleepNanos(ThrottleInput in, Landing landing) {
        double landed = in.demand().sleepNanosPerPointFor(in.quotaMBps());
        if (!(in.measuredMBps() > 0) || Double.isNaN(landed)) {
            return in.sleepNanosPerPoint();
        }
        double quotaFill = in.fillNanosAt(in.quotaMBps());
        double pages = in.pagesPerPoint();
        if (movesFar(landing, landed, quotaFill, pages)) {
            landing.sleepNanosPerPage = landed / pages;
            landing.trimNanosPerPage = 0;
        } else {
            trim(landing, in, quotaFill);
        }
        return clamp(sleepPerPoint(landing, pages), 0, quotaFill);
    }

    private static boolean movesFar(Landing landing, double landed, double quotaFill, double pages) {
        return Double.isNaN(landing.sleepNanosPerPage)
                || Math.abs(landed - landing.sleepNanosPerPage * pages) > RELAND_SHARE * quotaFill;
    }

    /** One integral step on the error in time per point, unless it would push into a saturated output. */
    private static void trim(Landing landing, ThrottleInput in, double quotaFill) {
        if (withinSampleResolution(in)) {
            return;
        }
        double pages = in.pagesPerPoint();
        double step = TRIM_GAIN * (quotaFill - in.fillNanosAt(in.measuredMBps())) / pages;
        double unclamped = sleepPerPoint(landing, pages);
        boolean intoFloor = step < 0 && unclamped <= 0;
        boolean intoCeiling = step > 0 && unclamped >= quotaFill;
        if (!intoFloor && !intoCeiling) {
            double bound = TRIM_BOUND * quotaFill / pages;
            landing.trimNanosPerPage = clamp(landing.trimNanosPerPage + step, -bound, bound);
        }
    }

    /** Is the error less than one point's pages over the period? */
    private static boolean withinSampleResolution(ThrottleInput in) {
        double errorMB = Math.abs(in.measuredMBps() - in.quotaMBps()) * in.periodNanos() / Units.NANOS_PER_SECOND;
        return errorMB * Units.BYTES_PER_MB / in.pageSize() <= in.pagesPerPoint();
    }

    private static double sleepPerPoint(Landing landing, double pages) {
        return (landing.sleepNanosPerPage + landing.trimNanosPerPage) * pages;
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
