package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CalcDirtyRateTest {
    private final FakeTime time = new FakeTime();

    @Test
    void measuresEveryVcpuOverTheWindowLimitedOrNot() throws InterruptedException {
        try (DirtyLimiter limiter = time.limiter().build()) {
            Vcpu zero = limiter.registerVcpu(0);
            Vcpu one = limiter.registerVcpu(1);
            Vcpu two = limiter.registerVcpu(2);
            limiter.setVcpuDirtyLimit(1, 100);
            zero.pagesDirtied(10_000); // before the window: not counted
            time.onSleep = call -> { // while the caller waits: 25 and 5 MiB, and vCPU 2 leaves
                zero.pagesDirtied(256 * 25);
                one.pagesDirtied(256 * 5);
                limiter.unregisterVcpu(2);
                limiter.registerVcpu(3);
            };
            DirtyRateInfo info = limiter.calcDirtyRate(Duration.ofMillis(500));
            assertThat(info.window()).isEqualTo(Duration.ofMillis(500));
            assertThat(info.vcpuRates()).containsExactly(
                    new DirtyRateInfo.VcpuRate(0, 50.0), new DirtyRateInfo.VcpuRate(1, 10.0));
            assertThat(info.totalRate()).isEqualTo(60.0);
            assertThat(two.pagesDirtiedTotal()).isZero();
        }
    }

    @Test
    void refusesWindowsOutOfRange() {
        try (DirtyLimiter limiter = time.limiter().build()) {
            assertThatThrownBy(() -> limiter.calcDirtyRate(Duration.ofMillis(5)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("calc-dirty-rate window must be between 10 ms and 60 s, got 5 ms");
            assertThatThrownBy(() -> limiter.calcDirtyRate(Duration.ofSeconds(61)))
                    .hasMessage("calc-dirty-rate window must be between 10 ms and 60 s, got 61000 ms");
        }
    }

    @Test
    void anInterruptedCallerGetsInterruptedException() {
        try (DirtyLimiter limiter = DirtyLimiter.create()) {
            limiter.registerVcpu(0);
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> limiter.calcDirtyRate(Duration.ofSeconds(10)))
                    .isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse(); // cleared, as InterruptedException promises
        }
    }
}
