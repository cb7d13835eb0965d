package io.dirtylimit.bench.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimRunsTest {
    private static EvidenceScenario scenario(String name) {
        return EvidenceScenario.ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theSimulatedStepIsOneSamplePerPeriodAgainstAConstantDemand() {
        List<Sample> samples = SimRuns.run(scenario("step-100ms"), Variant.ALL.get(0));

        assertThat(samples).hasSize(200);
        assertThat(samples.get(0).tSeconds()).isCloseTo(0.1, within(1e-9));
        assertThat(samples).allSatisfy(s -> assertThat(s.demandMBps()).isCloseTo(500, within(1e-6)));
        assertThat(samples.get(199).tSeconds()).isCloseTo(20, within(1e-9));
    }

    @Test
    void qemuOnTheSimulatedStepHoldsAboveTheLimitWithinItsDeadBand() {
        SeriesMetrics m = SeriesMetrics.of(SimRuns.run(scenario("step-1s"), Variant.ALL.get(3)));

        // the core README's simulator table: qemu on step sits 2 % above 200 MB/s
        assertThat(m.meanErrPct()).isCloseTo(2.0, within(0.5));
    }

    @Test
    void everySimulatedSampleCarriesItsRunsWorstWindowAndTheGuardShowsInIt() {
        Variant unguarded = Variant.ALL.stream().filter(v -> v.label().equals("model-unguarded")).findFirst().orElseThrow();
        List<Sample> guarded = SimRuns.run(scenario("bursty"), Variant.ALL.get(0));
        List<Sample> controllerOnly = SimRuns.run(scenario("bursty"), unguarded);

        assertThat(guarded).extracting(Sample::worstWindow).containsOnly(guarded.get(0).worstWindow());
        assertThat(guarded.get(0).worstWindow()).isBetween(1.0, 1.05);
        assertThat(controllerOnly.get(0).worstWindow()).isGreaterThan(5); // a phase late: 500 MB/s bursts
        assertThat(SeriesMetrics.of(guarded).meanErrPct()).isLessThan(3);
    }

    @Test
    void theBurstyGuestAlternatesHighAndLowDemandEverySecond() {
        List<Sample> samples = SimRuns.run(scenario("bursty"), Variant.ALL.get(0));

        assertThat(samples.get(0).demandMBps()).isCloseTo(500, within(1e-6));
        assertThat(samples.get(1).demandMBps()).isCloseTo(50, within(1e-6));
        assertThat(samples.get(2).demandMBps()).isCloseTo(500, within(1e-6));
    }
}
