package io.dirtylimit.core;

/** How a vCPU thread sleeps; injectable so that tests run on virtual time. */
@FunctionalInterface
public interface Sleeper {
    /**
     * Sleeps about {@code nanos} nanoseconds (one chunk, at most 20 ms when called by the core).
     *
     * @throws InterruptedException if the thread is interrupted; the core restores the interrupt status
     */
    void sleep(long nanos) throws InterruptedException;
}
