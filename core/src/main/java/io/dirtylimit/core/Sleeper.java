package io.dirtylimit.core;

import java.util.concurrent.locks.LockSupport;

/** How a vCPU thread sleeps; injectable so that tests run on virtual time. */
@FunctionalInterface
public interface Sleeper {
    /**
     * Sleeps about {@code nanos} nanoseconds (one chunk, at most 20 ms when called by the core).
     * It may return early; the core measures the time actually slept with its {@link Ticker}.
     *
     * @throws InterruptedException if the thread is interrupted; the core restores the interrupt status
     */
    void sleep(long nanos) throws InterruptedException;

    /**
     * The default: {@link LockSupport#parkNanos(long)}, so that the limiter can wake a sleeping vCPU
     * at once when its limit changes. Throws {@link InterruptedException} when the thread is
     * interrupted, without clearing the interrupt status.
     */
    static Sleeper parking() {
        return nanos -> {
            LockSupport.parkNanos(nanos);
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while throttled");
            }
        };
    }
}
