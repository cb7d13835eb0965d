package io.dirtylimit.core;

/**
 * The percentage algorithm of the v9 "support dirty restraint on vCPU" patch (softmmu/cpu-throttle.c,
 * December 2021), reproduced as a baseline: {@code dirtylimit_init_pct}, {@code dirtylimit_policy}
 * and {@code dirtylimit_pct} with the patch's constants and whole-number arithmetic.
 *
 * <p>v9 throttled by time share: at {@code pct} the vCPU was kicked to sleep {@code pct/(100-pct)}
 * times every 10 ms slice it ran, so it spent {@code pct} % of its time asleep. Here the same share
 * is reached with a sleep per throttle point: if the vCPU needs {@code tau} to dirty one point's pages
 * when it does not sleep, sleeping {@code tau * pct / (100 - pct)} per point makes it sleep
 * {@code pct} % of the time. {@code tau} is estimated each period from the measured rate and the
 * sleep in effect ({@link ThrottleInput#unthrottledFillNanos()}); a period with nothing dirtied keeps
 * the last estimate.
 *
 * <p>Rates are whole MB/s as in the patch: the measured rate is truncated, the quota rounded (at
 * least 1). The first period of a limit uses {@code dirtylimit_init_pct}, later ones
 * {@code dirtylimit_pct} on the previous percentage, as the patch's per-vCPU thread did.
 */
final class V9Policy implements ThrottlePolicy<V9Policy.VcpuPct> {
    /** DIRTYLIMIT_TOLERANCE_RANGE, MB/s. */
    static final long TOLERANCE_RANGE = 15;
    /** DIRTYLIMIT_THROTTLE_HEAVY_WATERMARK, %. */
    static final long HEAVY_WATERMARK = 75;
    /** DIRTYLIMIT_THROTTLE_SLIGHT_WATERMARK, %. */
    static final long SLIGHT_WATERMARK = 90;
    /** DIRTYLIMIT_THROTTLE_HEAVY_STEP_SIZE, %. */
    static final long HEAVY_STEP_SIZE = 5;
    /** DIRTYLIMIT_THROTTLE_SLIGHT_STEP_SIZE, %. */
    static final long SLIGHT_STEP_SIZE = 2;
    /** CPU_THROTTLE_PCT_MIN of QEMU's cpu-throttle.c, %. */
    static final long CPU_THROTTLE_PCT_MIN = 1;
    /** CPU_THROTTLE_PCT_MAX of QEMU's cpu-throttle.c, %. */
    static final long CPU_THROTTLE_PCT_MAX = 99;

    /** The patch's RestrainPolicy. */
    enum RestrainPolicy { KEEP, RATIO, HEAVY, SLIGHT }

    /** The patch's per-vCPU thread state, plus the estimate of the unthrottled time per point. */
    static final class VcpuPct {
        boolean started;
        long lastPct;
        double unthrottledFillNanos = Double.NaN;
    }

    @Override
    public VcpuPct newState() {
        return new VcpuPct();
    }

    @Override
    public double nextSleepNanos(ThrottleInput in, VcpuPct cpu) {
        long quota = Math.max(1, Math.round(in.quotaMBps()));
        long current = (long) in.measuredMBps();
        long pct = cpu.started ? pct(cpu.lastPct, quota, current) : initPct(quota, current);
        cpu.started = true;
        cpu.lastPct = pct;
        rememberUnthrottledFill(in, cpu);
        return sleepPerPointForShare(pct, cpu.unthrottledFillNanos);
    }

    /** dirtylimit_init_pct. */
    static long initPct(long quota, long current) {
        if (quota >= current || current == 0 || current - quota <= TOLERANCE_RANGE) {
            return 0;
        }
        return Math.min((current - quota) * 100 / current, HEAVY_WATERMARK);
    }

    /** dirtylimit_policy. */
    static RestrainPolicy policy(long lastPct, long quota, long current) {
        if (Math.max(quota, current) - Math.min(quota, current) <= TOLERANCE_RANGE) {
            return RestrainPolicy.KEEP;
        }
        if (lastPct < HEAVY_WATERMARK) {
            return RestrainPolicy.RATIO;
        } else if (lastPct < SLIGHT_WATERMARK) {
            return RestrainPolicy.HEAVY;
        } else {
            return RestrainPolicy.SLIGHT;
        }
    }

    /** dirtylimit_pct. */
    static long pct(long lastPct, long quota, long current) {
        boolean mitigate = quota > current;
        if (mitigate && (current == 0 || lastPct <= SLIGHT_STEP_SIZE)) {
            return 0;
        }
        switch (policy(lastPct, quota, current)) {
            case SLIGHT:
                return mitigate
                        ? lastPct - SLIGHT_STEP_SIZE
                        : Math.min(lastPct + SLIGHT_STEP_SIZE, CPU_THROTTLE_PCT_MAX);
            case HEAVY:
                return mitigate
                        ? lastPct - HEAVY_STEP_SIZE
                        : Math.min(lastPct + HEAVY_STEP_SIZE, SLIGHT_WATERMARK);
            case RATIO:
                return mitigate ? ratioMitigated(lastPct, quota, current) : ratioRestrained(lastPct, quota, current);
            case KEEP:
            default:
                return lastPct;
        }
    }

    private static long ratioMitigated(long lastPct, long quota, long current) {
        long relief = (quota - current) * 100 / quota;
        if (lastPct <= relief) {
            return 0;
        }
        return Math.max(lastPct - relief, CPU_THROTTLE_PCT_MIN);
    }

    private static long ratioRestrained(long lastPct, long quota, long current) {
        return Math.min(lastPct + (current - quota) * 100 / current, HEAVY_WATERMARK);
    }

    private static void rememberUnthrottledFill(ThrottleInput in, VcpuPct cpu) {
        double estimate = in.unthrottledFillNanos();
        if (!Double.isNaN(estimate)) {
            cpu.unthrottledFillNanos = estimate;
        }
    }

    /** The sleep per point that makes a vCPU needing {@code tau} per point sleep {@code pct} % of its time. */
    static double sleepPerPointForShare(long pct, double tau) {
        if (pct <= 0 || Double.isNaN(tau)) {
            return 0;
        }
        return tau * pct / (100.0 - pct);
    }
}
