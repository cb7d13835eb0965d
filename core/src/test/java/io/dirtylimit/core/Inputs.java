package io.dirtylimit.core;

/** ThrottleInputs for policy tests: 4 KiB pages, 1 s periods, the plain (linear) demand curve. */
final class Inputs {
    static final int PAGE = 4096;
    static final long SECOND = 1_000_000_000L;
    static final double MS = 1e6;

    private Inputs() {}

    /** quota and measured rate in MB/s, sleep per point in ms, pages per point. */
    static ThrottleInput of(double quota, double measured, double sleepMs, double pagesPerPoint) {
        double sleep = sleepMs * MS;
        double fill = ThrottleInput.unthrottledFillNanos(measured, sleep, pagesPerPoint, PAGE);
        return new ThrottleInput(0, quota, measured, sleep, SECOND, pagesPerPoint, PAGE,
                DemandCurve.linear(fill, pagesPerPoint, PAGE));
    }
}
