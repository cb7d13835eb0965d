package io.dirtylimit.probe;

/**
 * The static entry point that {@code discover}'s counting probes, inlined into emulator methods,
 * call. It forwards to the installed {@link ProbeSink} and suppresses anything the sink throws, so
 * nothing reaches the emulator; with no sink installed a call does nothing.
 */
public final class Probe {
    /** The sink in force; swapped when a discover starts and ends. */
    private static volatile ProbeSink sinkVolatile = new Idle();

    private Probe() {}

    /**
     * Installs {@code sink}; {@code null} restores the idle one.
     *
     * @param sink the sink, or null
     */
    public static void install(ProbeSink sink) {
        sinkVolatile = sink == null ? new Idle() : sink;
    }

    /** A probed method was invoked (see {@link ProbeSink#call}). */
    public static void call(int method, long a0, long a1, long a2, long a3, Object array, Object self) {
        try {
            sinkVolatile.call(method, a0, a1, a2, a3, array, self);
        } catch (Throwable ignored) {
            // A fault in the sink must never reach the emulator.
        }
    }

    /** The sink while no discover runs. */
    private static final class Idle extends ProbeSink {}
}
