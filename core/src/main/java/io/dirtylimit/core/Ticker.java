package io.dirtylimit.core;

/** A monotonic nanosecond clock, injectable so that control behaviour can be tested on virtual time. */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds from an arbitrary origin, monotonic. */
    long nanoTime();

    /** The system clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
