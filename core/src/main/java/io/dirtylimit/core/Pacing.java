package io.dirtylimit.core;

/**
 * Where quantum throttle points fall. The configured quantum is a maximum; for small limits it is
 * made finer so that, at the quota, a point falls at least {@value #POINTS_PER_PERIOD} times per
 * period (but not more often than every {@value #MIN_INTERVAL_NANOS} ns). Short, frequent sleeps
 * keep the vCPU responsive and make every period's rate sample smooth: at 1 MB/s one 1 MiB quantum
 * would otherwise mean a one-second sleep. Under the limit guarantee a point also falls at least
 * every {@value #GUARDED_MAX_INTERVAL_NANOS} ns at the quota, whatever the period: the pacing
 * clock's burst is one point's pages, so this bounds what any 100 ms window can hold to the quota
 * plus 4 %.
 */
final class Pacing {
    static final int POINTS_PER_PERIOD = 200;
    static final long MIN_INTERVAL_NANOS = 500_000;
    static final long GUARDED_MAX_INTERVAL_NANOS = 2_000_000;

    private Pacing() {}

    /** The quantum, in pages, for a vCPU limited to {@code quotaMBps}; 0 if quanta are off. */
    static int quantumPages(int configuredPages, double quotaMBps, long periodNanos, int pageSize, boolean guarded) {
        if (configuredPages == 0) {
            return 0;
        }
        double intervalNanos = Math.max(periodNanos / (double) POINTS_PER_PERIOD, MIN_INTERVAL_NANOS);
        if (guarded) {
            intervalNanos = Math.max(Math.min(intervalNanos, GUARDED_MAX_INTERVAL_NANOS), MIN_INTERVAL_NANOS);
        }
        double pagesPerInterval = Units.pagesPerSecond(quotaMBps, pageSize) * intervalNanos / Units.NANOS_PER_SECOND;
        return (int) Math.max(1, Math.min(configuredPages, Math.floor(pagesPerInterval)));
    }

    /** The pages of {@code creditNanos} at {@code quotaMBps}: the least credit of a vCPU on shared threads; 0 for none. */
    static int creditPages(long creditNanos, double quotaMBps, int pageSize) {
        if (creditNanos <= 0 || !(quotaMBps > 0)) {
            return 0;
        }
        double pages = Units.pagesPerSecond(quotaMBps, pageSize) * creditNanos / Units.NANOS_PER_SECOND;
        return (int) Math.min(Integer.MAX_VALUE, Math.ceil(pages));
    }
}
