package io.dirtylimit.core;

/**
 * The review's simplest negative-feedback controller: a fixed step up when over the quota, down
 * otherwise, clamped to {@code [0, MAX]}:
 *
 * <pre>
 *   if (quota &lt; current) throttle += STEP, at most MAX; else throttle -= STEP, at least 0
 * </pre>
 *
 * The review left STEP and MAX open; here STEP is {@value #STEP_SHARE} of the quota's time per
 * throttle point {@code P/q}, and MAX is {@code P/q} (a sleep that holds even an infinitely fast
 * vCPU to the quota).
 */
final class LinearPolicy implements ThrottlePolicy<Void> {
    static final double STEP_SHARE = 0.05;

    @Override
    public Void newState() {
        return null;
    }

    @Override
    public double nextSleepNanos(ThrottleInput in, Void none) {
        double max = in.fillNanosAt(in.quotaMBps());
        double step = STEP_SHARE * max;
        if (in.quotaMBps() < in.measuredMBps()) {
            return Math.min(in.sleepNanosPerPoint() + step, max);
        }
        return Math.max(in.sleepNanosPerPoint() - step, 0);
    }
}
