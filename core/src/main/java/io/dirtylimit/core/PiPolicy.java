package io.dirtylimit.core;

/**
 * Proportional plus integral on the relative rate error, as the review of the dirty-limit series
 * suggested adding to the linear controller ("add an integral algorithm into this linear
 * algorithm").
 *
 * <p>With {@code e = clamp((r - q) / q, -1, 1)} and {@code T = P/q} (the quota's time per point):
 * {@code I += KI * e * T}, clamped to {@code [0, T]} (anti-windup), and the sleep per point is
 * {@code clamp(KP * e * T + I, 0, T)}. Gains {@value #KP} and {@value #KI} per period. The integral is
 * kept as a share of {@code T}, so it follows quota changes.
 */
final class PiPolicy implements ThrottlePolicy<PiPolicy.Integral> {
    static final double KP = 0.2;
    static final double KI = 0.3;

    /** The integral term, as a share of the quota's time per point. */
    static final class Integral {
        double share;
    }

    @Override
    public Integral newState() {
        return new Integral();
    }

    @Override
    public double nextSleepNanos(ThrottleInput in, Integral integral) {
        double error = Math.max(-1, Math.min(1, (in.measuredMBps() - in.quotaMBps()) / in.quotaMBps()));
        integral.share = Math.max(0, Math.min(1, integral.share + KI * error));
        double share = Math.max(0, Math.min(1, KP * error + integral.share));
        return share * in.fillNanosAt(in.quotaMBps());
    }
}
