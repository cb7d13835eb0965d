package io.dirtylimit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.core.GuardMode;

import org.junit.jupiter.api.Test;

/** The done-when figures for the model policy, on virtual time. */
class ModelDoneWhenTest {

    private static Metrics model(Scenario scenario) {
        return Metrics.of(Simulation.run(scenario, "model"));
    }

    @Test
    void stepSettlesWithinTwoPeriodsAccuratelyWithoutOvershoot() {
        Metrics step = model(Scenarios.step());
        assertThat(step.settlePeriods()).isLessThanOrEqualTo(2);
        assertThat(step.meanErrPct()).isLessThanOrEqualTo(2);
        assertThat(step.p95ErrPct()).isLessThanOrEqualTo(5);
        assertThat(step.overshootPct()).isLessThanOrEqualTo(10);
    }

    @Test
    void stepFastSettlesWithinTwoPeriodsAccuratelyWithoutOvershoot() {
        Metrics fast = model(Scenarios.stepFast());
        assertThat(fast.settlePeriods()).isLessThanOrEqualTo(2);
        assertThat(fast.meanErrPct()).isLessThanOrEqualTo(2);
        assertThat(fast.p95ErrPct()).isLessThanOrEqualTo(5);
        assertThat(fast.overshootPct()).isLessThanOrEqualTo(10);
    }

    @Test
    void unguardedHoldsOneMegabytePerSecondWithin5PercentFromTheSecondPeriodOn() {
        RunResult run = Simulation.run(Scenarios.low(), "model", GuardMode.OFF);
        double[] errors = Metrics.errorsPct(run.vcpus().get(0), Scenarios.SECOND);
        assertThat(errors[0]).isGreaterThan(100_000); // period 1: unthrottled, 2000 MB/s
        for (int k = 1; k < errors.length; k++) {
            assertThat(Math.abs(errors[k])).as("period %d", k + 1).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void guardedHoldsOneMegabytePerSecondWithin1PercentFromTheFirstPeriod() {
        RunResult run = Simulation.run(Scenarios.low(), "model");
        double[] errors = Metrics.errorsPct(run.vcpus().get(0), Scenarios.SECOND);
        for (int k = 0; k < errors.length; k++) {
            assertThat(Math.abs(errors[k])).as("period %d", k + 1).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void simulationIsDeterministic() {
        assertThat(model(Scenarios.noisy())).isEqualTo(model(Scenarios.noisy()));
    }
}
