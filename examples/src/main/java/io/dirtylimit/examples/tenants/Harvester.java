package io.dirtylimit.examples.tenants;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The runtime's once-a-second ground truth: thread {@code tenant-stats} harvests every guest's
 * memory (pages first written since the previous harvest, once each) and hands the second's
 * samples to a {@link Sink}. Rates divide by the measured period, not a nominal second; ticks are
 * anchored to the start, re-anchored after a stall of more than a period.
 */
final class Harvester implements Runnable {
    static final long PERIOD_NANOS = 1_000_000_000L;

    /** One guest's second: pages harvested and the rate they make. */
    record Sample(int guest, long pages, double dirtyMbps) {}

    /** Receives each second's samples, in guest order; {@code second} counts from 1. */
    interface Sink {
        void second(long second, List<Sample> samples);
    }

    private final List<Guest> guests;
    private final LongSupplier clock;
    private final Sink sink;
    /** Written by the stopping thread, read by the harvester. */
    private volatile boolean stopRequestedVolatile;
    private volatile Thread threadVolatile;

    Harvester(List<Guest> guests, LongSupplier clock, Sink sink) {
        this.guests = List.copyOf(guests);
        this.clock = clock;
        this.sink = sink;
    }

    void start() {
        Thread t = new Thread(this, "tenant-stats");
        t.setDaemon(true);
        threadVolatile = t;
        t.start();
    }

    @Override
    public void run() {
        long start = clock.getAsLong();
        long last = start;
        for (long tick = 1; sleepUntil(start + tick * PERIOD_NANOS); tick++) {
            long now = clock.getAsLong();
            if (now - (start + tick * PERIOD_NANOS) > PERIOD_NANOS) {
                start = now - tick * PERIOD_NANOS;
            }
            sink.second(tick, harvest(now - last));
            last = now;
        }
    }

    /** Harvests every guest's memory; rates over {@code periodNanos}. */
    List<Sample> harvest(long periodNanos) {
        List<Sample> samples = new ArrayList<>(guests.size());
        for (Guest guest : guests) {
            long pages = guest.memory().harvestDirtyPages();
            samples.add(new Sample(guest.index(), pages, pages * (double) LinearMemory.PAGE_SIZE / (1 << 20) / (periodNanos / 1e9)));
        }
        return samples;
    }

    /** False when stopped. */
    private boolean sleepUntil(long deadline) {
        while (!stopRequestedVolatile) {
            long remaining = deadline - clock.getAsLong();
            if (remaining <= 0) {
                return true;
            }
            LockSupport.parkNanos(this, remaining);
        }
        return false;
    }

    void stop() throws InterruptedException {
        stopRequestedVolatile = true;
        Thread t = threadVolatile;
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
            t.join(5_000);
        }
    }
}
