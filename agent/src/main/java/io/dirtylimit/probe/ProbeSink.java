package io.dirtylimit.probe;

/**
 * What a discover probe calls through {@link Probe}: one call per probed method invocation, on the
 * emulator thread that invoked it. The base class does nothing.
 *
 * <p>{@code method} is the probed method's index in the running discover; {@code a0}..{@code a3}
 * are its first four {@code int} or {@code long} arguments (0 where it has fewer); {@code array} is
 * its first array argument or null; {@code self} is {@code this}, or null in a static method.
 */
public abstract class ProbeSink {

    /** For subclasses. */
    protected ProbeSink() {}

    /** A probed method was invoked. */
    public void call(int method, long a0, long a1, long a2, long a3, Object array, Object self) {}
}
