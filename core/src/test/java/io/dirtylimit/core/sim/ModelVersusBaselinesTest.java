package io.dirtylimit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * model is no worse than qemu and v9 on every metric in every scenario. Metrics are compared as
 * printed, to 0.01 percentage points (a "never" settle counts as the longest); the table is printed.
 */
class ModelVersusBaselinesTest {

    @Test
    void modelIsNoWorseThanQemuAndV9AnywhereOnAnything() {
        SoftAssertions softly = new SoftAssertions();
        StringBuilder table = new StringBuilder(Simulate.CSV_HEADER).append('\n');
        for (Scenario scenario : Scenarios.all().values()) {
            Metrics model = Metrics.of(Simulation.run(scenario, "model"));
            table.append(Simulate.csvLine("model", scenario, model)).append('\n');
            for (String baseline : new String[] {"qemu", "v9"}) {
                Metrics other = Metrics.of(Simulation.run(scenario, baseline));
                table.append(Simulate.csvLine(baseline, scenario, other)).append('\n');
                String where = scenario.name() + " vs " + baseline + ": ";
                softly.assertThat(model.settlePeriods()).as(where + "settle").isLessThanOrEqualTo(other.settlePeriods());
                softly.assertThat(cents(model.meanErrPct())).as(where + "mean").isLessThanOrEqualTo(cents(other.meanErrPct()));
                softly.assertThat(cents(model.p95ErrPct())).as(where + "p95").isLessThanOrEqualTo(cents(other.p95ErrPct()));
                softly.assertThat(cents(model.overshootPct())).as(where + "overshoot")
                        .isLessThanOrEqualTo(cents(other.overshootPct()));
                softly.assertThat(cents(model.excessSleepPct())).as(where + "excess sleep")
                        .isLessThanOrEqualTo(cents(other.excessSleepPct()));
            }
        }
        System.out.print(table);
        softly.assertAll();
        assertThat(Scenarios.all()).containsKeys("step", "step-fast", "low", "burst", "noisy", "many");
    }

    /** A percentage as printed: hundredths. */
    private static long cents(double pct) {
        return Math.round(pct * 100);
    }
}
