package io.dirtylimit.bench;

import java.util.Arrays;

/** Median and spread of a few measurements (rounds of a benchmark). */
record Stats(double median, double min, double max, double lowerQuartile, double upperQuartile, int count) {

    /**
     * The statistics of {@code values}: median (mean of the two middle values for an even count),
     * smallest, largest, and quartiles (linear interpolation between order statistics, as
     * R's default quantile: the quartile p is at position (n - 1) p of the sorted values).
     *
     * @throws IllegalArgumentException if there are no values or one is not a finite number
     */
    static Stats of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double value : sorted) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("not a finite value: " + value);
            }
        }
        return new Stats(quantile(sorted, 0.5), sorted[0], sorted[sorted.length - 1], quantile(sorted, 0.25),
                quantile(sorted, 0.75), sorted.length);
    }

    private static double quantile(double[] sorted, double p) {
        double position = (sorted.length - 1) * p;
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /** Whether {@code value} lies strictly inside the interquartile range: the verdict against it is not firm. */
    boolean quartilesStraddle(double value) {
        return lowerQuartile < value && value < upperQuartile;
    }
}
