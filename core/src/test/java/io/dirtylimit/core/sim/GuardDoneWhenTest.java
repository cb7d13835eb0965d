package io.dirtylimit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.core.GuardMode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * "A limit holds from the first page", on virtual time: the default policy, guarded by default, in
 * every scenario: worst 100 ms window within 5 % of the limit, settled within one period, mean error
 * within 2 % (bursty: 3 %). The QEMU baselines stay unguarded by default.
 */
class GuardDoneWhenTest {

    static Stream<Scenario> scenarios() {
        return Scenarios.all().values().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theDefaultPolicyHoldsTheLimitFromTheFirstPage(Scenario scenario) {
        RunResult run = Simulation.run(scenario, "model");
        Metrics metrics = Metrics.of(run);
        assertThat(run.guarded()).isTrue();
        assertThat(metrics.worstWindow()).as("worst 100 ms window / limit").isLessThanOrEqualTo(1.05);
        assertThat(metrics.settlePeriods()).as("settle").isLessThanOrEqualTo(1);
        assertThat(metrics.meanErrPct()).as("mean error %")
                .isLessThanOrEqualTo(scenario.name().equals("bursty") ? 3 : 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theBaselinesAreUnguardedByDefault(Scenario scenario) {
        assertThat(Simulation.run(scenario, "qemu").guarded()).isFalse();
        assertThat(Simulation.run(scenario, "v9").guarded()).isFalse();
    }

    @Test
    void withoutTheGuardTheControllerIsAPeriodLateOnAWarmingUpVcpu() {
        Metrics off = Metrics.of(Simulation.run(Scenarios.warmup(), "model", GuardMode.OFF));
        Metrics on = Metrics.of(Simulation.run(Scenarios.warmup(), "model", GuardMode.ON));
        assertThat(off.worstWindow()).isGreaterThan(20); // 2500 MB/s for the period after the warm-up
        assertThat(on.worstWindow()).isLessThanOrEqualTo(1.05);
    }

    @Test
    void aOneShotBurstTakesAsLongAsTheLimitSays() {
        RunResult run = Simulation.run(Scenarios.shortBurst(), "model");
        RunResult.VcpuRun vcpu = run.vcpus().get(0);
        long periodNanos = run.scenario().periodNanos();
        for (int k = 0; k < 12; k++) {
            assertThat(vcpu.rateMBps(k, periodNanos)).as("period %d", k + 1).isBetween(4.9, 5.1);
        }
        assertThat(vcpu.rateMBps(12, periodNanos)).isBetween(3.9, 4.1); // the last 0.8 s of 12.8
        assertThat(vcpu.rateMBps(13, periodNanos)).isZero();
    }

    @Test
    void aVcpuRegisteringAfterTheLimitIsHeldFromItsFirstPage() {
        RunResult run = Simulation.run(Scenarios.lateVcpu(), "model");
        RunResult.VcpuRun late = run.vcpus().get(1);
        assertThat(late.targetMBps(0)).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-9)); // registered half-way
        assertThat(late.rateMBps(0, run.scenario().periodNanos())).isBetween(99.0, 101.0);
        assertThat(late.worstWindow()).isLessThanOrEqualTo(1.05);
    }
}
