package io.dirtylimit.examples.toyvm;

import java.util.concurrent.locks.LockSupport;

/**
 * The migration channel: a token bucket that never lets more than
 * {@code bandwidth x (elapsed + 1.2 ms)} bytes through: sends sleep once they get ahead.
 */
final class BandwidthLink {
    /** Credit an idle link keeps: absorbs sleep overshoot without allowing a real burst. */
    static final long BURST_NANOS = 1_000_000L;
    /** Sleep only when this far ahead, so fast links are not limited by timer granularity. */
    static final long MIN_SLEEP_NANOS = 200_000L;

    private final double nanosPerByte;
    private final GuestClock clock;
    private final Migration owner;
    /** When everything sent so far has finished going through the link. */
    private double busyUntilNanos;

    BandwidthLink(long bytesPerSecond, GuestClock clock, Migration owner) {
        this.nanosPerByte = 1e9 / bytesPerSecond;
        this.clock = clock;
        this.owner = owner;
        this.busyUntilNanos = clock.nanos();
    }

    /** Blocks until {@code bytes} more may go through; returns early only when the migration aborts. */
    void transmit(long bytes) {
        long now = clock.nanos();
        busyUntilNanos = Math.max(busyUntilNanos, now - BURST_NANOS) + bytes * nanosPerByte;
        long ahead = (long) busyUntilNanos - BURST_NANOS - now;
        if (ahead >= MIN_SLEEP_NANOS) {
            sleepUntil((long) busyUntilNanos - BURST_NANOS);
        }
    }

    private void sleepUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - clock.nanos()) > 0 && !owner.abortRequested()) {
            LockSupport.parkNanos(this, remaining);
        }
    }
}
