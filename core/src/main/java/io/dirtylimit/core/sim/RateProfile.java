package io.dirtylimit.core.sim;

/**
 * A simulated vCPU's unthrottled dirty rate over virtual time, piecewise constant: what it would
 * dirty if nothing slowed it down. Time is wall (virtual) time, not the vCPU's progress: a throttled
 * vCPU misses what it would have dirtied while asleep.
 */
interface RateProfile {
    long NEVER = Long.MAX_VALUE;

    /** The rate at {@code nanos}, MB/s. */
    double mbPerSecAt(long nanos);

    /** The first time after {@code nanos} at which the rate may change; {@link #NEVER} if none. */
    long nextChangeAfter(long nanos);

    /** A short description for scenario listings. */
    String describe();

    /** The average rate over {@code [from, to)}, MB/s. */
    default double averageMbPerSec(long from, long to) {
        double sum = 0;
        for (long t = from; t < to; ) {
            long next = Math.min(nextChangeAfter(t), to);
            sum += mbPerSecAt(t) * (next - t);
            t = next;
        }
        return sum / (to - from);
    }

    static RateProfile constant(double mbPerSec) {
        return new RateProfile() {
            @Override
            public double mbPerSecAt(long nanos) {
                return mbPerSec;
            }

            @Override
            public long nextChangeAfter(long nanos) {
                return NEVER;
            }

            @Override
            public String describe() {
                return fmt(mbPerSec) + " MB/s";
            }
        };
    }

    /** {@code before} until {@code atNanos}, then {@code after}. */
    static RateProfile step(double before, double after, long atNanos) {
        return new RateProfile() {
            @Override
            public double mbPerSecAt(long nanos) {
                return nanos < atNanos ? before : after;
            }

            @Override
            public long nextChangeAfter(long nanos) {
                return nanos < atNanos ? atNanos : NEVER;
            }

            @Override
            public String describe() {
                return fmt(before) + " then " + fmt(after) + " MB/s at " + atNanos / 1_000_000 + " ms";
            }
        };
    }

    /** {@code base}, with {@code burstNanos} at {@code burst} at the start of every {@code everyNanos}. */
    static RateProfile bursts(double base, double burst, long burstNanos, long everyNanos) {
        return new RateProfile() {
            @Override
            public double mbPerSecAt(long nanos) {
                return Math.floorMod(nanos, everyNanos) < burstNanos ? burst : base;
            }

            @Override
            public long nextChangeAfter(long nanos) {
                long cycleStart = nanos - Math.floorMod(nanos, everyNanos);
                long burstEnd = cycleStart + burstNanos;
                return nanos < burstEnd ? burstEnd : cycleStart + everyNanos;
            }

            @Override
            public String describe() {
                return fmt(base) + " MB/s with " + burstNanos / 1_000_000 + " ms bursts at " + fmt(burst)
                        + " MB/s every " + everyNanos / 1_000_000 + " ms";
            }
        };
    }

    /** {@code mean + amplitude * sin(2 pi t / cycle)}, held for 10 ms steps. */
    static RateProfile sine(double mean, double amplitude, long cycleNanos) {
        long stepNanos = 10_000_000;
        return new RateProfile() {
            @Override
            public double mbPerSecAt(long nanos) {
                long stepStart = nanos - Math.floorMod(nanos, stepNanos);
                return Math.max(0, mean + amplitude * Math.sin(2 * Math.PI * stepStart / cycleNanos));
            }

            @Override
            public long nextChangeAfter(long nanos) {
                return nanos - Math.floorMod(nanos, stepNanos) + stepNanos;
            }

            @Override
            public String describe() {
                return fmt(mean) + " +- " + fmt(amplitude) + " MB/s sine, " + cycleNanos / 1_000_000_000.0 + " s cycle";
            }
        };
    }

    /** {@code mean * (1 + u)}, u uniform in [-spread, spread], drawn afresh every 10 ms from {@code seed}. */
    static RateProfile noisy(double mean, double spread, long seed) {
        long stepNanos = 10_000_000;
        return new RateProfile() {
            @Override
            public double mbPerSecAt(long nanos) {
                long step = Math.floorDiv(nanos, stepNanos);
                return mean * (1 + spread * (2 * unitDouble(seed, step) - 1));
            }

            @Override
            public long nextChangeAfter(long nanos) {
                return (Math.floorDiv(nanos, stepNanos) + 1) * stepNanos;
            }

            @Override
            public String describe() {
                return fmt(mean) + " MB/s +- " + Math.round(spread * 100) + " % noise per 10 ms (seed " + seed + ")";
            }
        };
    }

    /** A uniform double in [0, 1) from (seed, n): SplitMix64's finaliser, so any step is random-access. */
    static double unitDouble(long seed, long n) {
        long z = seed + (n + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    private static String fmt(double mbPerSec) {
        return mbPerSec == Math.rint(mbPerSec) ? Long.toString((long) mbPerSec) : Double.toString(mbPerSec);
    }
}
