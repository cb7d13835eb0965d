package io.dirtylimit.core.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CpuThrottleTest {
    private static final long MS = 1_000_000L;
    private long now = 1;
    private final List<Long> sleeps = new ArrayList<>();
    private final CpuThrottle throttle = new CpuThrottle(() -> now, n -> {
        sleeps.add(n);
        now += n;
    });

    @Test
    void offCostsNothingAndSleepsNever() {
        for (int i = 0; i < 100; i++) {
            now += MS;
            throttle.step();
        }
        assertThat(sleeps).isEmpty();
    }

    @Test
    void qemuSteps() {
        throttle.increase();
        assertThat(throttle.percent()).isEqualTo(20);
        throttle.increase();
        assertThat(throttle.percent()).isEqualTo(30);
        for (int i = 0; i < 10; i++) {
            throttle.increase();
        }
        assertThat(throttle.percent()).isEqualTo(99);
        throttle.stop();
        assertThat(throttle.percent()).isZero();
    }

    @Test
    void sleepsPctOverOneMinusPctOfEachTimesliceRun() {
        throttle.increase(); // 20 %: 2.5 ms per 10 ms
        long start = now;
        long ran = 0;
        for (int i = 0; i < 1000; i++) {
            now += MS; // a 1 ms slice
            ran += MS;
            throttle.step();
        }
        long slept = sleeps.stream().mapToLong(Long::longValue).sum();
        assertThat((double) slept / (now - start)).isBetween(0.19, 0.21);
        assertThat(sleeps).allMatch(s -> s <= CpuThrottle.SLEEP_CHUNK_NANOS);
        assertThat(ran).isEqualTo(1000 * MS);
    }

    @Test
    void aStaleTimesliceNeverCausesALongSleep() {
        throttle.increase();
        throttle.step();
        now += 5_000 * MS; // throttle idle for a while (or the vCPU paused)
        throttle.step();
        assertThat(sleeps.stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(5 * MS);
    }

    /** Like parkNanos: returns at once, without time passing, for an interrupted thread. */
    private final List<Long> parks = new ArrayList<>();
    private final CpuThrottle parking = new CpuThrottle(() -> now, n -> {
        parks.add(n);
        if (parks.size() > 1000) {
            throw new AssertionError("busy-spinning: " + parks.size() + " parks for one throttle point");
        }
        if (!Thread.currentThread().isInterrupted()) {
            now += n;
        }
    });

    @Test
    void anInterruptedVcpuReturnsAtOnceWithItsInterruptKept() {
        parking.increase();
        for (int i = 0; i < 8; i++) {
            parking.increase(); // 99 %: 99 x the time run
        }
        parking.step();
        now += 20 * MS;
        Thread.currentThread().interrupt();
        try {
            parking.step();
            assertThat(parks).isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anInterruptDuringTheSleepEndsIt() {
        parking.increase(); // 20 %
        parking.step();
        now += 20 * MS;
        // The first chunk is slept, then the thread is interrupted (as another thread would do).
        CpuThrottle interruptedAfterOneChunk = new CpuThrottle(() -> now, n -> {
            parks.add(n);
            if (parks.size() > 1000) {
                throw new AssertionError("busy-spinning");
            }
            if (!Thread.currentThread().isInterrupted()) {
                now += Math.min(n, MS);
                Thread.currentThread().interrupt();
            }
        });
        interruptedAfterOneChunk.increase();
        interruptedAfterOneChunk.step();
        now += 20 * MS;
        try {
            interruptedAfterOneChunk.step();
            assertThat(parks).hasSize(1);
        } finally {
            Thread.interrupted();
        }
    }

    /** The real clock and LockSupport.parkNanos: at 99 % a 20 ms slice asks for about 2 s of sleep. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void realTimeInterruptedVcpuNeitherSleepsNorSpins() throws Exception {
        CpuThrottle real = CpuThrottle.realTime();
        for (int i = 0; i < 9; i++) {
            real.increase();
        }
        assertThat(real.percent()).isEqualTo(99);
        real.step();
        Thread.sleep(20);
        Thread.currentThread().interrupt();
        long cpuBefore = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try {
            real.step();
            long wall = System.nanoTime() - start;
            long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore;
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            // Before the fix: about 2 s of wall time, all of it spinning on the CPU.
            assertThat(TimeUnit.NANOSECONDS.toMillis(wall)).isLessThan(500);
            assertThat(TimeUnit.NANOSECONDS.toMillis(cpu)).isLessThan(200);
        } finally {
            Thread.interrupted();
        }
    }
}
