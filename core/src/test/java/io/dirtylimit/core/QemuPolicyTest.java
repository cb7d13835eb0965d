package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * QEMU's dirtylimit_set_throttle worked by hand. A ring of 4096 pages of 4 KiB is 16 MiB; T is
 * dirtylimit_dirty_ring_full_time = ring_MiB * 1e6 / max_rate_ever_seen (us). Answers are in ns.
 */
class QemuPolicyTest {
    private static final double RING_4096 = 4096;
    private final QemuPolicy policy = new QemuPolicy();
    private final QemuPolicy.VcpuThrottle cpu = policy.newState();

    private double step(double quota, double measured) {
        return policy.nextSleepNanos(Inputs.of(quota, measured, cpu.throttleUsPerFull / 1000.0, RING_4096), cpu);
    }

    @Test
    void followsQemuStepByStep() {
        // 500 vs 200: |300| > 25. max = 500, T = 16 * 1e6 / 500 = 32000 us.
        // (500-200)*100/500 = 60 > 50: linear. throttle += 32000 * 60 / (100-60) = 48000 us.
        assertThat(step(200, 500.7)).isEqualTo(48_000_000);
        // 230: |30| > 25; 30*100/230 = 13 (13.04) <= 50: small step += T/10 = 3200 -> 51200 us.
        assertThat(step(200, 230)).isEqualTo(51_200_000);
        // 215: |15| <= 25: dirtylimit_done, no change.
        assertThat(step(200, 215)).isEqualTo(51_200_000);
        // 100: 100*100/200 = 50, not > 50: small step -= 3200 -> 48000 us.
        assertThat(step(200, 100)).isEqualTo(48_000_000);
        // 60: (200-60)*100/200 = 70 > 50: linear, sleep_pct 70;
        // throttle -= (uint64)(32000 * 70 / 30.0) = 74666 -> -26666, clamped to 0.
        assertThat(step(200, 60)).isZero();
        // 1000: new max, T = 16e6/1000 = 16000; 800*100/1000 = 80: += 16000 * 80 / 20 = 64000 us.
        assertThat(step(200, 1000)).isEqualTo(64_000_000);
        // 500 again: the max stays 1000 (static, never reset), so T = 16000, not 32000:
        // 60 %: += 16000 * 60 / 40 = 24000 -> 88000 us.
        assertThat(step(200, 500)).isEqualTo(88_000_000);
        // current 0: throttle = 0.
        assertThat(step(200, 0)).isZero();
    }

    @Test
    void toleranceBandIsInclusiveAt25() {
        cpu.throttleUsPerFull = 10_000;
        assertThat(step(200, 225)).isEqualTo(10_000_000); // 25 <= 25: done
        // 226: 26*100/226 = 11: small, T = 16e6/226 = 70796 us, += 7079 us
        assertThat(step(200, 226)).isEqualTo(17_079_000);
    }

    @Test
    void clampsAt99RingFillTimes() {
        double ring65536 = 65536; // 256 MiB
        // quota 1, current 2000: T = 256e6/2000 = 128000 us; 1999*100/2000 = 99 (99.95 truncated):
        // += 128000 * 99 / 1.0 = 12672000 us; cap 99 * T = 12672000 us.
        ThrottleInput in = Inputs.of(1, 2000, 0, ring65536);
        assertThat(policy.nextSleepNanos(in, cpu)).isEqualTo(12_672_000_000.0);
        // Once more: 25344000 us, clamped back to 12672000 us.
        assertThat(policy.nextSleepNanos(Inputs.of(1, 2000, 12_672, ring65536), cpu)).isEqualTo(12_672_000_000.0);
    }

    @Test
    void worksInWholeMegabytesPerSecond() {
        // A 0.4 MB/s quota is QEMU's smallest, 1; 199.6 rounds to 200 (|225-200| = 25: done).
        cpu.throttleUsPerFull = 5;
        assertThat(step(199.6, 225.9)).isEqualTo(5_000);
        assertThat(QemuPolicy.needLinearAdjustment(1, 3)).isTrue(); // (3-1)*100/3 = 66
        assertThat(QemuPolicy.done(1, 26)).isTrue();
    }

    @Test
    void linearStepTruncatesLikeAUint64() {
        assertThat(QemuPolicy.linearStepUs(32000, 70)).isEqualTo(74666); // 74666.67
        assertThat(QemuPolicy.linearStepUs(7, 99)).isEqualTo(693);
    }
}
