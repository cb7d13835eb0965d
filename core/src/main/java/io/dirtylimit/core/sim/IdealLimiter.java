package io.dirtylimit.core.sim;

/**
 * The target of every period: what an ideal limiter lets a vCPU dirty. Moment by moment the vCPU
 * runs at its demand clipped at its limit (never above the limit, never slower than the limit needs),
 * from the moment the limit applies; a vCPU with a page budget stops when it is spent. Computed in
 * closed form over the rate profile's pieces, independently of any policy.
 *
 * <p>For a steady vCPU this is {@code min(limit, demand)}. It differs from the period's
 * {@code min(limit, average demand)} where demand swings within a period across the limit: a guest
 * at 100 MB/s with bursts at 1500 MB/s under a 300 MB/s limit is entitled to 300 in its bursts and
 * its own 100 in between, not to bursts at 600 that make the average 300.
 */
final class IdealLimiter {
    /**
     * Per period after the limits are set: the target and the demand, MB/s, and the sleep the limit
     * needs: the time the ideal limiter holds the vCPU back, {@code dt * (1 - limit / demand)} while
     * its demand is above the limit.
     */
    record Targets(double[] targetMBps, double[] demandMBps, double[] neededSleepNanos) {}

    private static final double PAGES_PER_NANO_PER_MBPS = (1 << 20) / 4096.0 / 1e9;

    private IdealLimiter() {}

    static Targets of(Scenario scenario, Scenario.VcpuSpec spec) {
        int periods = scenario.periods();
        double[] targetPages = new double[periods];
        double[] demandPages = new double[periods];
        double[] neededSleep = new double[periods];
        long appliesAt = spec.limitAppliesAtNanos(scenario);
        double budgetLeft = spec.pageBudget() > 0 ? spec.pageBudget() : Double.POSITIVE_INFINITY;
        for (long t = 0; t < scenario.endNanos() && budgetLeft > 0; ) {
            long next = nextPiece(scenario, spec, t);
            double demandRate = t < spec.registerAtNanos() ? 0 : spec.profile().mbPerSecAt(t);
            double allowedRate = t >= appliesAt ? Math.min(demandRate, spec.limitMBps()) : demandRate;
            double pagesPerNano = allowedRate * PAGES_PER_NANO_PER_MBPS;
            long end = next;
            if (pagesPerNano > 0 && budgetLeft < pagesPerNano * (next - t)) {
                end = t + Math.max(1, (long) Math.ceil(budgetLeft / pagesPerNano)); // the budget runs out here
            }
            double pages = Math.min(budgetLeft, pagesPerNano * (end - t));
            budgetLeft -= pages;
            int period = periodOf(scenario, t);
            if (period >= 0) {
                targetPages[period] += pages;
                demandPages[period] += demandRate * PAGES_PER_NANO_PER_MBPS * (end - t);
                if (t >= appliesAt && demandRate > spec.limitMBps()) {
                    neededSleep[period] += (end - t) * (1 - spec.limitMBps() / demandRate);
                }
            }
            t = end;
        }
        return new Targets(toMBps(targetPages, scenario), toMBps(demandPages, scenario), neededSleep);
    }

    /** The next moment anything changes: the profile, a period boundary, the vCPU's registration. */
    private static long nextPiece(Scenario scenario, Scenario.VcpuSpec spec, long t) {
        long next = Math.min(spec.profile().nextChangeAfter(t), scenario.endNanos());
        long sinceLimits = t - scenario.limitSetNanos();
        long boundary = sinceLimits < 0
                ? scenario.limitSetNanos()
                : t + scenario.periodNanos() - Math.floorMod(sinceLimits, scenario.periodNanos());
        next = Math.min(next, boundary);
        if (t < spec.registerAtNanos()) {
            next = Math.min(next, spec.registerAtNanos());
        }
        return next;
    }

    /** The period after the limits were set that {@code t} falls in; -1 before. */
    private static int periodOf(Scenario scenario, long t) {
        long sinceLimits = t - scenario.limitSetNanos();
        return sinceLimits < 0 ? -1 : (int) (sinceLimits / scenario.periodNanos());
    }

    private static double[] toMBps(double[] pagesPerPeriod, Scenario scenario) {
        double[] rates = new double[pagesPerPeriod.length];
        for (int k = 0; k < rates.length; k++) {
            rates[k] = pagesPerPeriod[k] / PAGES_PER_NANO_PER_MBPS / scenario.periodNanos();
        }
        return rates;
    }
}
