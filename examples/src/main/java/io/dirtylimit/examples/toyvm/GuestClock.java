package io.dirtylimit.examples.toyvm;

/** The guest's monotonic clock, in nanoseconds since the VM booted. */
interface GuestClock {
    long nanos();

    /** The host's monotonic clock, zeroed now. */
    static GuestClock startingNow() {
        long boot = System.nanoTime();
        return () -> System.nanoTime() - boot;
    }
}
