package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** linear and pi by hand; 256-page points, quota 200: P/q = 5 ms. */
class SimplePoliciesTest {

    @Test
    void linearStepsByOneTwentiethOfTheQuotaTime() {
        LinearPolicy linear = new LinearPolicy();
        assertThat(linear.nextSleepNanos(Inputs.of(200, 500, 0, 256), null)).isCloseTo(0.25e6, offset(1e-3));
        assertThat(linear.nextSleepNanos(Inputs.of(200, 201, 4.9, 256), null)).isCloseTo(5e6, offset(1e-3));
        assertThat(linear.nextSleepNanos(Inputs.of(200, 100, 0.1, 256), null)).isZero();
        // quota == current goes down, as in the review's "else" branch
        assertThat(linear.nextSleepNanos(Inputs.of(200, 200, 1, 256), null)).isCloseTo(0.75e6, offset(1e-3));
    }

    @Test
    void piAddsAnIntegralToAProportionalTerm() {
        PiPolicy pi = new PiPolicy();
        PiPolicy.Integral integral = pi.newState();
        // e = (500-200)/200 = 1.5, clamped to 1: I = 0.3; share = 0.2 * 1 + 0.3 = 0.5 of 5 ms
        assertThat(pi.nextSleepNanos(Inputs.of(200, 500, 0, 256), integral)).isCloseTo(2.5e6, offset(1e-3));
        // e = 0: I stays 0.3: 1.5 ms
        assertThat(pi.nextSleepNanos(Inputs.of(200, 200, 2.5, 256), integral)).isCloseTo(1.5e6, offset(1e-3));
        // e = -0.5: I = 0.15; share = -0.1 + 0.15 = 0.05: 0.25 ms
        assertThat(pi.nextSleepNanos(Inputs.of(200, 100, 1.5, 256), integral)).isCloseTo(0.25e6, offset(1e-3));
        for (int i = 0; i < 5; i++) {
            pi.nextSleepNanos(Inputs.of(200, 0, 0, 256), integral);
        }
        assertThat(integral.share).isZero(); // anti-windup: clamped at 0
    }
}
