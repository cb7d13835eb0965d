package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
            time.onSleep = call -> { // while the caller waits: 25 and 5 MiB, vCPU 2 leaves, vCPU 3 comes with 1 MiB
                zero.pagesDirtied(256 * 25);
                one.pagesDirtied(256 * 5);
                limiter.unregisterVcpu(2);
                limiter.registerVcpu(3).pagesDirtied(256);
            };
            DirtyRateInfo info = limiter.calcDirtyRate(Duration.ofMillis(500));
            assertThat(info.window()).isEqualTo(Duration.ofMillis(500));
            assertThat(info.vcpuRates()).containsExactly(new DirtyRateInfo.VcpuRate(0, 50.0),
                    new DirtyRateInfo.VcpuRate(1, 10.0), new DirtyRateInfo.VcpuRate(3, 2.0));
            assertThat(info.totalRate()).isEqualTo(62.0);
            assertThat(two.pagesDirtiedTotal()).isZero();
        }
    }

    @Test
    void theListenerHearsWhenPageCountsAreNeededAndWhenNot() throws InterruptedException {
        List<Boolean> heard = new ArrayList<>();
        try (DirtyLimiter limiter = time.limiter().measuringListener(heard::add).build()) {
            limiter.registerVcpu(0);
            limiter.registerVcpu(1);
            assertThat(limiter.isMeasuring()).isFalse();
            limiter.setVcpuDirtyLimit(0, 10);
            limiter.setVcpuDirtyLimit(1, 20); // already measuring: not told again
            limiter.cancelVcpuDirtyLimit(0);
            limiter.cancelVcpuDirtyLimit(1);
            assertThat(heard).containsExactly(true, false);
            time.onSleep = call -> assertThat(limiter.isMeasuring()).isTrue();
            limiter.calcDirtyRate(Duration.ofMillis(100));
            assertThat(limiter.isMeasuring()).isFalse();
            limiter.unregisterVcpu(0);
            limiter.unregisterVcpu(1);
            limiter.setAllVcpuDirtyLimit(5); // no vCPU yet: counting must go on so that they register
        }
        assertThat(heard).containsExactly(true, false, true, false, true, false); // close stops it
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
