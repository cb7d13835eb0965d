package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/**
 * The model policy by hand, with 256-page points (1 MiB): at the 200 MB/s quota a point takes
 * P/q = 5 ms; at 500 MB/s, 2 ms.
 */
class ModelPolicyTest {
    private final ModelPolicy policy = new ModelPolicy();
    private final ModelPolicy.Landing state = policy.newState();

    private double next(double measured, double sleepMs) {
        return policy.nextSleepNanos(Inputs.of(200, measured, sleepMs, 256), state) / 1e6;
    }

    @Test
    void landsOnTheQuotaFromOnePeriod() {
        // tau = P/r - s = 2 ms; s* = P/q - tau = 5 - 2 = 3 ms (= s + P*(1/q - 1/r)).
        assertThat(next(500, 0)).isCloseTo(3, offset(1e-6));
        // Had it been sleeping 1 ms already: at 300 MB/s, tau = 3.333 - 1; s* = 5 - 2.333.
        ModelPolicy.Landing other = policy.newState();
        assertThat(policy.nextSleepNanos(Inputs.of(200, 300, 1, 256), other) / 1e6)
                .isCloseTo(5 - (10.0 / 3 - 1), offset(1e-6));
    }

    @Test
    void holdsWithinTheSampleResolution() {
        next(500, 0);
        // 200.5 MB/s: 0.5 MiB = 128 pages over the period, less than one 256-page point: no trim,
        // and the new landing (3.0125 ms) moves less than 2 % of 5 ms: keep 3 ms.
        assertThat(next(200.5, 3)).isCloseTo(3, offset(1e-9));
    }

    @Test
    void trimsSmallErrorsByHalf() {
        next(500, 0);
        // 204 MB/s: the landing would move 5 - 4.902 = 0.098 ms (1.96 % of 5 ms): trim instead:
        // + 0.5 * (P/q - P/r) = 0.5 * (5 - 4.90196) = 0.04902 ms.
        assertThat(next(204, 3)).isCloseTo(3 + 0.5 * (5 - 1024.0 / 204 * 0.9765625), offset(1e-6));
    }

    @Test
    void trimIsBoundedTo10PercentOfTheQuotaTime() {
        next(500, 0);
        for (int i = 0; i < 30; i++) {
            next(204, 3); // the same small error every period
        }
        assertThat(state.trimNanosPerPage * 256 / 1e6).isCloseTo(0.5, offset(1e-9));
        assertThat(next(204, 3)).isCloseTo(3.5, offset(1e-6));
    }

    @Test
    void landsAgainWhenTheWorkloadChanges() {
        next(500, 0);
        next(204, 3); // some trim
        // 300 MB/s at 3 ms: tau = 3.333 - 3 = 0.333 ms; landing 4.667 ms moves far: take it, drop the trim.
        assertThat(next(300, 3)).isCloseTo(5 - 1.0 / 3, offset(1e-6));
        assertThat(state.trimNanosPerPage).isZero();
    }

    @Test
    void keepsTheSleepOfAnIdleVcpu() {
        next(500, 0);
        assertThat(next(0, 3)).isEqualTo(3);
    }

    @Test
    void clampsNoisyEstimatesSoTheSleepNeverExceedsTheQuotaTime() {
        // 400 MB/s while sleeping 3 ms per point is impossible (a point takes 2.5 ms < 3 ms):
        // tau is clamped to 0.1 % of 2.5 ms, so s* = 5 - 0.0025 ms, within [0, P/q].
        assertThat(next(400, 3)).isCloseTo(5 - 0.0025, offset(1e-6));
        assertThat(next(1e9, 0)).isLessThanOrEqualTo(5);
    }

    @Test
    void doesNotWindUpWhileTheVcpuStaysBelowTheQuota() {
        assertThat(next(100, 0)).isZero();
        for (int i = 0; i < 10; i++) {
            assertThat(next(100, 0)).isZero();
        }
        assertThat(state.trimNanosPerPage).isZero();
        assertThat(next(500, 0)).isCloseTo(3, offset(1e-6));
    }
}
