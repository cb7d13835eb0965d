package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The v9 patch's dirtylimit_init_pct and dirtylimit_pct worked by hand, and the sleep conversion. */
class V9PolicyTest {

    @Test
    void initialPercentage() {
        assertThat(V9Policy.initPct(200, 500)).isEqualTo(60); // 300*100/500
        assertThat(V9Policy.initPct(200, 215)).isZero(); // within 15 MB/s
        assertThat(V9Policy.initPct(200, 216)).isEqualTo(7); // 16*100/216 = 7.4
        assertThat(V9Policy.initPct(200, 1000)).isEqualTo(75); // 80, capped at the heavy watermark
        assertThat(V9Policy.initPct(500, 200)).isZero(); // quota >= current
        assertThat(V9Policy.initPct(200, 0)).isZero();
    }

    @Test
    void restrainingByRatioHeavyAndSlightSteps() {
        // 300 vs 200: RATIO below 75 %: 60 + 100*100/300 (33) = 93, capped at 75.
        assertThat(V9Policy.pct(60, 200, 300)).isEqualTo(75);
        assertThat(V9Policy.pct(10, 200, 300)).isEqualTo(43);
        // HEAVY in [75, 90): +5, capped at 90.
        assertThat(V9Policy.pct(75, 200, 300)).isEqualTo(80);
        assertThat(V9Policy.pct(88, 200, 300)).isEqualTo(90);
        // SLIGHT in [90, 99]: +2, capped at CPU_THROTTLE_PCT_MAX 99.
        assertThat(V9Policy.pct(90, 200, 300)).isEqualTo(92);
        assertThat(V9Policy.pct(98, 200, 300)).isEqualTo(99);
    }

    @Test
    void mitigatingByRatioHeavyAndSlightSteps() {
        // 150 vs 200: RATIO: relief = 50*100/200 = 25: 60 - 25 = 35.
        assertThat(V9Policy.pct(60, 200, 150)).isEqualTo(35);
        assertThat(V9Policy.pct(26, 200, 150)).isEqualTo(1); // 26 - 25, at least CPU_THROTTLE_PCT_MIN
        assertThat(V9Policy.pct(25, 200, 150)).isZero(); // last <= relief
        assertThat(V9Policy.pct(80, 200, 100)).isEqualTo(75); // HEAVY: -5
        assertThat(V9Policy.pct(95, 200, 100)).isEqualTo(93); // SLIGHT: -2
        assertThat(V9Policy.pct(2, 200, 100)).isZero(); // last <= SLIGHT_STEP_SIZE
        assertThat(V9Policy.pct(50, 200, 0)).isZero(); // current 0
    }

    @Test
    void keepsWithinTheToleranceBand() {
        assertThat(V9Policy.pct(60, 200, 190)).isEqualTo(60);
        assertThat(V9Policy.pct(60, 200, 215)).isEqualTo(60);
        assertThat(V9Policy.policy(60, 200, 216)).isEqualTo(V9Policy.RestrainPolicy.RATIO);
        assertThat(V9Policy.policy(80, 200, 216)).isEqualTo(V9Policy.RestrainPolicy.HEAVY);
        assertThat(V9Policy.policy(95, 200, 216)).isEqualTo(V9Policy.RestrainPolicy.SLIGHT);
    }

    @Test
    void turnsThePercentageIntoSleepPerThrottlePoint() {
        V9Policy policy = new V9Policy();
        V9Policy.VcpuPct cpu = policy.newState();
        // 256 pages = 1 MiB: at 500 MB/s tau = 2 ms. init_pct = 60: sleep = 2 ms * 60 / 40 = 3 ms,
        // so the vCPU sleeps 3 of every 5 ms: 60 % of its time.
        assertThat(policy.nextSleepNanos(Inputs.of(200, 500, 0, 256), cpu)).isCloseTo(3e6, within(1));
        // At 200 with 3 ms per point: tau = 5 - 3 = 2 ms; KEEP 60 -> 3 ms.
        assertThat(policy.nextSleepNanos(Inputs.of(200, 200, 3, 256), cpu)).isCloseTo(3e6, within(1));
        // At 100: tau = 10 - 3 = 7 ms; relief 50: 60 - 50 = 10 % -> 7 ms * 10 / 90.
        assertThat(policy.nextSleepNanos(Inputs.of(200, 100, 3, 256), cpu)).isCloseTo(7e6 / 9, within(1));
        // Nothing dirtied: tau is kept (7 ms); pct(10, 200, 0) = 0 -> no sleep.
        assertThat(policy.nextSleepNanos(Inputs.of(200, 0, 0.7, 256), cpu)).isZero();
    }

    private static org.assertj.core.data.Offset<Double> within(double nanos) {
        return org.assertj.core.data.Offset.offset(nanos);
    }
}
