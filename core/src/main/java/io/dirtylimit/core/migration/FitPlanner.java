package io.dirtylimit.core.migration;

import java.util.Arrays;

/**
 * The {@code fit} choice of per-vCPU dirty limits during a migration: the guest may dirty a
 * budget (a share of the link bandwidth, so each pass sends less than the one before), shared
 * among the vCPUs by max-min fairness (water-filling): a vCPU whose measured rate is under its
 * fair share keeps running untouched, and what it leaves unused goes to the others. Only vCPUs
 * over their share get a limit, never below {@code floorMbps}.
 */
final class FitPlanner {
    private FitPlanner() {}

    /**
     * Per-vCPU limits in MB/s, 0 meaning "leave alone".
     *
     * @param ratesMbps each vCPU's measured (unthrottled) dirty rate
     * @param fixed vCPUs the governor must not limit (the operator set their limit); their rates still use up budget
     * @param budgetMbps the dirty rate the whole guest may keep
     * @param floorMbps the smallest limit ever set
     */
    static double[] limits(double[] ratesMbps, boolean[] fixed, double budgetMbps, double floorMbps) {
        int n = ratesMbps.length;
        double[] limits = new double[n];
        double remaining = budgetMbps;
        int open = 0;
        for (int i = 0; i < n; i++) {
            if (fixed[i]) {
                remaining -= ratesMbps[i];
            } else {
                open++;
            }
        }
        Integer[] order = byRate(ratesMbps);
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (fixed[i]) {
                continue;
            }
            double share = Math.max(remaining, 0) / open;
            if (ratesMbps[i] <= share) {
                remaining -= ratesMbps[i];
            } else {
                limits[i] = Math.max(share, floorMbps);
                remaining -= share;
            }
            open--;
        }
        return limits;
    }

    /** Indexes ordered by ascending rate: the lightest vCPUs are served first. */
    private static Integer[] byRate(double[] rates) {
        Integer[] order = new Integer[rates.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(rates[a], rates[b]));
        return order;
    }

    /** The guest's dirty budget: {@code budgetPercent} % of the link, halved for each step after the first. */
    static double budgetMbps(double bandwidthMbps, int budgetPercent, int step) {
        return bandwidthMbps * budgetPercent / 100.0 / (1L << Math.min(Math.max(step - 1, 0), 30));
    }
}
