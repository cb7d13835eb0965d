package io.dirtylimit.bench;

import java.util.Arrays;

/** Median and spread of a few measurements (rounds of a benchmark). */
record Stats(double median, double min, double max, int count) {

    /**
     * The statistics of {@code values}: median (mean of the two middle values for an even count),
     * smallest and largest.
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
        int mid = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Stats(median, sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    /** Largest distance from the median to min or max, relative to the median. */
    double halfSpreadRelative() {
        return median == 0 ? 0 : Math.max(median - min, max - median) / Math.abs(median);
    }
}
