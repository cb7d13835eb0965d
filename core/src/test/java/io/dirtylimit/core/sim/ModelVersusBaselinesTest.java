package io.dirtylimit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * model (guarded by default) is no worse than qemu and v9 on every metric in every scenario. Metrics
 * are compared as printed, to 0.01 percentage points (a "never" settle counts as the longest), with
 * one allowance: a period's sample of a paced vCPU is exact only to the part of a throttle point a
 * period boundary cuts (at 200 MB/s a point is 102 pages, 0.2 % of a period's pages), so errors
 * within {@value #SAMPLE_RESOLUTION_CENTS} hundredths of a point of the baseline's count as equal;
 * the same goes for sleep a period boundary splits. The table is printed.
 */
class ModelVersusBaselinesTest {
    static final long SAMPLE_RESOLUTION_CENTS = 5;

    @Test
    void modelIsNoWorseThanQemuAndV9AnywhereOnAnything() {
        SoftAssertions softly = new SoftAssertions();
        StringBuilder table = new StringBuilder(Simulate.CSV_HEADER).append('\n');
        for (Scenario scenario : Scenarios.all().values()) {
            RunResult modelRun = Simulation.run(scenario, "model");
            Metrics model = Metrics.of(modelRun);
            table.append(Simulate.csvLine(modelRun, model)).append('\n');
            for (String baseline : new String[] {"qemu", "v9"}) {
                RunResult otherRun = Simulation.run(scenario, baseline);
                Metrics other = Metrics.of(otherRun);
                table.append(Simulate.csvLine(otherRun, other)).append('\n');
                String where = scenario.name() + " vs " + baseline + ": ";
                softly.assertThat(model.settlePeriods()).as(where + "settle").isLessThanOrEqualTo(other.settlePeriods());
                softly.assertThat(cents(model.meanErrPct())).as(where + "mean")
                        .isLessThanOrEqualTo(cents(other.meanErrPct()) + SAMPLE_RESOLUTION_CENTS);
                softly.assertThat(cents(model.p95ErrPct())).as(where + "p95")
                        .isLessThanOrEqualTo(cents(other.p95ErrPct()) + SAMPLE_RESOLUTION_CENTS);
                softly.assertThat(cents(model.overshootPct())).as(where + "overshoot")
                        .isLessThanOrEqualTo(cents(other.overshootPct()) + SAMPLE_RESOLUTION_CENTS);
                softly.assertThat(cents(model.excessSleepPct())).as(where + "excess sleep")
                        .isLessThanOrEqualTo(cents(other.excessSleepPct()) + SAMPLE_RESOLUTION_CENTS);
                softly.assertThat(model.worstWindow()).as(where + "worst window")
                        .isLessThanOrEqualTo(other.worstWindow());
            }
        }
        System.out.print(table);
        softly.assertAll();
        assertThat(Scenarios.all()).containsKeys("step", "step-fast", "low", "burst", "bursty", "noisy", "sine", "many",
                "warmup", "short-burst", "late-vcpu");
    }

    /** A percentage as printed: hundredths. */
    private static long cents(double pct) {
        return Math.round(pct * 100);
    }
}
