package io.dirtylimit.core.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
