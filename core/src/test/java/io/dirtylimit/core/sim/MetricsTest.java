package io.dirtylimit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The metric definitions on hand-made runs: one vCPU, limit 100 MB/s, demand 400 MB/s, 1 s periods. */
class MetricsTest {
    private static final long SECOND = Scenarios.SECOND;

    /** A run with these per-period rates (MB/s) and sleeps (ms). */
    private static RunResult run(double[] rates, double[] sleptMs) {
        long[] pages = new long[rates.length];
        long[] slept = new long[rates.length];
        double[] demand = new double[rates.length];
        double[] target = new double[rates.length];
        double[] neededSleep = new double[rates.length];
        for (int k = 0; k < rates.length; k++) {
            pages[k] = Math.round(rates[k] * 256);
            slept[k] = Math.round(sleptMs[k] * 1e6);
            demand[k] = 400;
            target[k] = 100;
            neededSleep[k] = 0.75 * SECOND;
        }
        Scenario scenario = new Scenario("t", "t", SECOND, 0, rates.length, 256,
                List.of(new Scenario.VcpuSpec(RateProfile.constant(400), 100, 4096)));
        return new RunResult(scenario, "x", false,
                List.of(new RunResult.VcpuRun(0, 100, pages, slept, demand, target, neededSleep, 1.0)));
    }

    @Test
    void settlesAfterTheLastSampleOutsideTheBand() {
        double[] sleeps = {0, 750, 750, 750, 750, 750};
        Metrics m = Metrics.of(run(new double[] {400, 80, 106, 104, 97, 100}, sleeps));
        assertThat(m.settlePeriods()).isEqualTo(3); // 106 is the last one out of 95..105
        // steady part: after settling (periods 4..6): errors 4, 3, 0 -> mean 2.33, p95 4
        assertThat(m.meanErrPct()).isCloseTo(7.0 / 3, offset(1e-9));
        assertThat(m.p95ErrPct()).isCloseTo(4, offset(1e-9));
        // worst dip below the target from period 2 on: 80 -> 20 %
        assertThat(m.overshootPct()).isCloseTo(20, offset(1e-9));
    }

    @Test
    void aRunThatNeverSettlesIsJudgedOnItsSecondHalf() {
        double[] sleeps = new double[6];
        Metrics m = Metrics.of(run(new double[] {400, 300, 200, 120, 110, 130}, sleeps));
        assertThat(m.settled()).isFalse();
        // second half: 120, 110, 130: errors 20, 10, 30
        assertThat(m.meanErrPct()).isCloseTo(20, offset(1e-9));
        assertThat(m.p95ErrPct()).isCloseTo(30, offset(1e-9));
        assertThat(m.overshootPct()).isCloseTo(30, offset(1e-9)); // above the limit in the steady part
    }

    @Test
    void excessSleepCountsOnlySleepBeyondEachPeriodsNeed() {
        // demand 400, limit 100: a period needs 750 ms asleep. 850 ms in period 2 is 100 ms beyond;
        // 650 ms in period 3 does not give it back.
        Metrics m = Metrics.of(run(new double[] {400, 90, 110, 100}, new double[] {0, 850, 650, 750}));
        assertThat(m.excessSleepPct()).isCloseTo(100.0 * 100 / 4000, offset(1e-9));
    }
}
