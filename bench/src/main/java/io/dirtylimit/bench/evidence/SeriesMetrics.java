package io.dirtylimit.bench.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The figures of merit of one vCPU's series of samples, the same for the simulator and the toy VM
 * (the simulator's own {@code Metrics}, restated on samples with times). Errors are signed,
 * {@code rate - target}, in % of the limit, the target being the limit or the demand if lower.
 *
 * <ul>
 *   <li>{@code settleSeconds}: the end of the last sample outside the {@value #BAND_PCT} % band, in
 *       seconds since the limit was set (0: every sample inside); NaN (never) if the last one is outside.
 *   <li>{@code meanErrPct}, {@code p95ErrPct}: mean and nearest-rank 95th percentile of |error| over
 *       the steady part: the samples after settling, or the second half if it settles later or never.
 *   <li>{@code overshootPct}: the worst dip below the target from the second sample on, or rise above
 *       it in the steady part.
 *   <li>{@code slowdownPct}: guest progress lost beyond what the quota needs, in % of its unthrottled
 *       progress: the mean over samples from the second on of max(0, target - rate) / demand. A paced
 *       sequential writer's progress is the pages it writes, so this is the time it was held back
 *       below what the limit allows. Staying above the limit costs nothing here: that shows in the errors.
 * </ul>
 */
record SeriesMetrics(double settleSeconds, double meanErrPct, double p95ErrPct, double overshootPct,
        double slowdownPct) {
    static final double BAND_PCT = 5;

    static SeriesMetrics of(List<Sample> series) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        double[] errors = new double[series.size()];
        for (int k = 0; k < errors.length; k++) {
            Sample s = series.get(k);
            errors[k] = 100 * (s.rateMBps() - s.targetMBps()) / s.limitMBps();
        }
        int settleIndex = settleIndex(errors);
        double settle = settleIndex < 0 ? Double.NaN : settleIndex == 0 ? 0 : series.get(settleIndex - 1).tSeconds();
        int steadyFrom = settleIndex < 0 ? errors.length / 2 : Math.min(settleIndex, errors.length / 2);
        List<Double> steady = new ArrayList<>();
        for (int k = steadyFrom; k < errors.length; k++) {
            steady.add(Math.abs(errors[k]));
        }
        return new SeriesMetrics(settle, mean(steady), percentile(steady, 95), overshoot(errors, steadyFrom),
                slowdown(series));
    }

    /** Index of the first sample of the in-band tail; -1 if the last sample is outside. */
    static int settleIndex(double[] errors) {
        int k = errors.length;
        while (k > 0 && Math.abs(errors[k - 1]) <= BAND_PCT) {
            k--;
        }
        return k == errors.length ? -1 : k;
    }

    static double overshoot(double[] errors, int steadyFrom) {
        double worst = 0;
        for (int k = 1; k < errors.length; k++) {
            worst = Math.max(worst, -errors[k]);
            if (k >= steadyFrom) {
                worst = Math.max(worst, errors[k]);
            }
        }
        return worst;
    }

    static double slowdown(List<Sample> series) {
        if (series.size() < 2) {
            return 0;
        }
        double sum = 0;
        for (int k = 1; k < series.size(); k++) {
            Sample s = series.get(k);
            sum += Math.max(0, s.targetMBps() - s.rateMBps()) / s.demandMBps();
        }
        return 100 * sum / (series.size() - 1);
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

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
        return !Double.isNaN(settleSeconds);
    }
}
