package io.dirtylimit.core.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The figures of merit of one run. Samples are the per-period rates after the limits were set;
 * period 1 is the one before the controller's first adjustment. Each sample is compared with its
 * target, what an ideal limiter lets through in that period ({@link IdealLimiter}: the vCPU's demand
 * clipped at the limit moment by moment, for a steady vCPU the limit or its demand if lower); errors
 * are in % of the limit.
 *
 * <ul>
 *   <li>{@code settlePeriods}: the number of periods after which every later sample of every vCPU
 *       stays within {@value #SETTLE_BAND_PCT} % of the limit from its target;
 *       {@link #NEVER} if the last sample is outside.
 *   <li>{@code meanErrPct}, {@code p95ErrPct}: mean and 95th percentile of |rate - target| over the
 *       steady part of the run: the samples after settling, or the second half of the run if the
 *       vCPU settles later or never (so that every policy is judged on at least half the run, not
 *       on a lucky last few samples).
 *   <li>{@code overshootPct}: the worst excursion in the direction that hurts: below the target from
 *       period 2 on (the controller throttled more than needed: the guest lost speed it was
 *       allowed), or above the target in the steady part (the limit was broken once it should
 *       have been held).
 *   <li>{@code excessSleepPct}: time asleep beyond what the limit needs, in % of the vCPU time: per
 *       period, what the vCPU slept minus the ideal limiter's hold-back ({@code dt * (1 - limit/demand)}
 *       wherever the demand is above the limit; a steady vCPU's {@code period * (1 - limit/demand)}),
 *       counted when positive
 *       (guest time lost in that period; sleeping less than needed in another period does not give
 *       it back). A controller that keeps a vCPU above its limit never sleeps beyond need: that
 *       shows in the errors instead.
 *   <li>{@code worstWindow}: the most pages any vCPU dirtied in a {@link #WINDOW_NANOS} window after
 *       its limit applied, as a ratio to what the limit allows in that window (1.0: never above the
 *       limit at that time scale). It sees what per-period samples hide: a burst before the first
 *       landing, a vCPU that speeds up 50x between two periods.
 * </ul>
 *
 * @param settlePeriods periods to settle, or {@link #NEVER}
 * @param meanErrPct mean absolute error after settling, % of the limit
 * @param p95ErrPct 95th percentile of the absolute error after settling, % of the limit
 * @param overshootPct the worst excursion, % of the limit (see above)
 * @param excessSleepPct time asleep beyond need, % of vCPU time
 * @param worstWindow the worst window's pages over the limit's (see above)
 */
record Metrics(int settlePeriods, double meanErrPct, double p95ErrPct, double overshootPct, double excessSleepPct,
        double worstWindow) {
    static final int NEVER = Integer.MAX_VALUE;
    static final double SETTLE_BAND_PCT = 5;
    /** The window of {@code worstWindow}: 100 ms. */
    static final long WINDOW_NANOS = 100_000_000;

    static Metrics of(RunResult run) {
        long period = run.scenario().periodNanos();
        int settle = 0;
        double overshoot = 0;
        double excessNanos = 0;
        double vcpuNanos = 0;
        double worstWindow = 0;
        List<Double> settledErrors = new ArrayList<>();
        for (RunResult.VcpuRun vcpu : run.vcpus()) {
            worstWindow = Math.max(worstWindow, vcpu.worstWindow());
            double[] errors = errorsPct(vcpu, period);
            int vcpuSettle = settlePeriods(errors);
            settle = Math.max(settle, vcpuSettle);
            int from = Math.min(vcpuSettle, errors.length / 2);
            for (int k = from; k < errors.length; k++) {
                settledErrors.add(Math.abs(errors[k]));
            }
            overshoot = Math.max(overshoot, overshootPct(errors, from));
            excessNanos += excessSleepNanos(vcpu, period);
            vcpuNanos += (double) period * errors.length;
        }
        return new Metrics(settle, mean(settledErrors), percentile(settledErrors, 95), overshoot,
                100 * excessNanos / vcpuNanos, worstWindow);
    }

    /** Signed error of every period, % of the limit. */
    static double[] errorsPct(RunResult.VcpuRun vcpu, long periodNanos) {
        double[] errors = new double[vcpu.pages().length];
        for (int k = 0; k < errors.length; k++) {
            errors[k] = 100 * (vcpu.rateMBps(k, periodNanos) - vcpu.targetMBps(k)) / vcpu.limitMBps();
        }
        return errors;
    }

    /** Periods before every later sample stays in the band; NEVER if the last one is out. */
    static int settlePeriods(double[] errors) {
        int settle = errors.length;
        while (settle > 0 && Math.abs(errors[settle - 1]) <= SETTLE_BAND_PCT) {
            settle--;
        }
        return settle == errors.length ? NEVER : settle;
    }

    /** Worst dip below target from period 2 on, or rise above it from {@code settledFrom} on. */
    static double overshootPct(double[] errors, int settledFrom) {
        double worst = 0;
        for (int k = 1; k < errors.length; k++) {
            worst = Math.max(worst, -errors[k]);
            if (k >= settledFrom) {
                worst = Math.max(worst, errors[k]);
            }
        }
        return worst;
    }

    static double excessSleepNanos(RunResult.VcpuRun vcpu, long periodNanos) {
        double excess = 0;
        for (int k = 0; k < vcpu.pages().length; k++) {
            excess += Math.max(0, vcpu.sleptNanos()[k] - vcpu.neededSleepNanos()[k]);
        }
        return excess;
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double pct) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(pct / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    boolean settled() {
        return settlePeriods != NEVER;
    }
}
