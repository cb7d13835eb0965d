package io.dirtylimit.examples.toyvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The once-a-second thread: harvests every vCPU's ring (or syncs the dirty log), then, back to
 * back, samples each vCPU's counters, so a second's figures are exactly what was harvested in
 * it. Rates divide by the measured period, not a nominal second.
 */
final class Reaper implements Runnable {
    static final long PERIOD_NANOS = 1_000_000_000L;

    private final Machine machine;
    private final GuestClock clock;
    private final StatsSink sink;
    private final long[] lastPages;
    private final long[] lastInstructions;
    private final long[] lastRingFullExits;
    /** Written by the reaper, read by the monitor. */
    private volatile List<VcpuSample> latestVolatile = List.of();
    /** Written by the quitting thread, read by the reaper. */
    private volatile boolean stopRequestedVolatile;
    private volatile Thread threadVolatile;

    Reaper(Machine machine, GuestClock clock, StatsSink sink) {
        this.machine = machine;
        this.clock = clock;
        this.sink = sink;
        int n = machine.vcpus().size();
        this.lastPages = new long[n];
        this.lastInstructions = new long[n];
        this.lastRingFullExits = new long[n];
    }

    void start() {
        Thread t = new Thread(this, "reaper");
        t.setDaemon(true);
        threadVolatile = t;
        t.start();
    }

    @Override
    public void run() {
        sink.start();
        long start = clock.nanos();
        long last = start;
        for (long tick = 1; sleepUntil(start + tick * PERIOD_NANOS); tick++) {
            long now = clock.nanos();
            if (now - (start + tick * PERIOD_NANOS) > PERIOD_NANOS) {
                start = now - tick * PERIOD_NANOS; // stalled for over a period: re-anchor the ticks
            }
            machine.syncDirty();
            List<VcpuSample> samples = sample(now - last);
            last = now;
            latestVolatile = samples;
            sink.second(tick, samples);
            machine.secondElapsed(tick);
        }
    }

    private List<VcpuSample> sample(long periodNanos) {
        double seconds = periodNanos / 1e9;
        List<VcpuSample> samples = new ArrayList<>();
        for (Vcpu vcpu : machine.vcpus()) {
            int i = vcpu.index;
            long pages = vcpu.statPagesAcquire();
            long instructions = vcpu.instructionsAcquire();
            long exits = vcpu.ringFullExitsAcquire();
            if (vcpu.state() != VcpuState.UNPLUGGED) {
                samples.add(new VcpuSample(i, Units.pagesToMiB(pages - lastPages[i]) / seconds,
                        exits - lastRingFullExits[i], Math.round((instructions - lastInstructions[i]) / seconds)));
            }
            lastPages[i] = pages;
            lastInstructions[i] = instructions;
            lastRingFullExits[i] = exits;
        }
        return List.copyOf(samples);
    }

    /** False when stopped. */
    private boolean sleepUntil(long deadline) {
        while (!stopRequestedVolatile) {
            long remaining = deadline - clock.nanos();
            if (remaining <= 0) {
                return true;
            }
            LockSupport.parkNanos(this, remaining);
        }
        return false;
    }

    /** The last second's samples, for {@code info dirty}. */
    List<VcpuSample> latest() {
        return latestVolatile;
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
