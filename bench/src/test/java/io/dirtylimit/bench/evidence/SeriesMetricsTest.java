package io.dirtylimit.bench.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesMetricsTest {

    /** One sample per second at the given rates, limit 200, demand 500 (target = limit). */
    private static List<Sample> series(double limit, double demand, double... rates) {
        List<Sample> samples = new ArrayList<>();
        for (int k = 0; k < rates.length; k++) {
            samples.add(new Sample("sim", "p", "s", k + 1, 0, rates[k], limit, demand, Double.NaN, Double.NaN));
        }
        return samples;
    }

    @Test
    void onTargetFromTheStartSettlesAtZeroWithNoError() {
        SeriesMetrics m = SeriesMetrics.of(series(200, 500, 200, 200, 200, 200));

        assertThat(m.settleSeconds()).isZero();
        assertThat(m.meanErrPct()).isZero();
        assertThat(m.p95ErrPct()).isZero();
        assertThat(m.overshootPct()).isZero();
        assertThat(m.slowdownPct()).isZero();
    }

    @Test
    void settlesAtTheEndOfTheLastSampleOutsideTheFivePercentBand() {
        // 500 and 260 are out (+150 %, +30 %), 209 is in (+4.5 %), then in the band
        SeriesMetrics m = SeriesMetrics.of(series(200, 500, 500, 260, 209, 190, 200, 202));

        assertThat(m.settleSeconds()).isEqualTo(2.0);
        // steady part: samples 3..6, |errors| 4.5, 5, 0, 1 -> mean 2.625, p95 5
        assertThat(m.meanErrPct()).isCloseTo(2.625, within(1e-9));
        assertThat(m.p95ErrPct()).isCloseTo(5.0, within(1e-9));
        // worst: the dip to 190 (-5 %); the +30 % is before the steady part and does not count as a rise
        assertThat(m.overshootPct()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void aLastSampleOutsideTheBandNeverSettlesAndErrorsComeFromTheSecondHalf() {
        SeriesMetrics m = SeriesMetrics.of(series(200, 500, 200, 200, 240, 160));

        assertThat(m.settled()).isFalse();
        assertThat(m.settleSeconds()).isNaN();
        // second half: +20 %, -20 %
        assertThat(m.meanErrPct()).isCloseTo(20, within(1e-9));
        assertThat(m.p95ErrPct()).isCloseTo(20, within(1e-9));
        assertThat(m.overshootPct()).isCloseTo(20, within(1e-9));
    }

    @Test
    void overshootCountsDipsFromTheSecondSampleOnAndRisesOnlyInTheSteadyPart() {
        // first sample (a dip to 0) is ignored, the dip to 100 (-50 %) at t=2 counts
        SeriesMetrics m = SeriesMetrics.of(series(200, 500, 0, 100, 300, 200, 200, 200));

        assertThat(m.settleSeconds()).isEqualTo(3.0);
        assertThat(m.overshootPct()).isCloseTo(50, within(1e-9));
    }

    @Test
    void slowdownIsTheProgressLostBelowTheTargetInShareOfTheDemand() {
        // target 200 of a 500 MB/s demand; from the 2nd sample: 100 short (20 %), 0, 50 short (10 %)
        // and being above the limit (300) costs nothing
        SeriesMetrics m = SeriesMetrics.of(series(200, 500, 0, 100, 200, 150, 300));

        assertThat(m.slowdownPct()).isCloseTo((20 + 0 + 10 + 0) / 4.0, within(1e-9));
    }

    @Test
    void aDemandBelowTheLimitIsTheTarget() {
        // limit 40, demand 25: the target is 25, so 25 is exact and 20 is -12.5 % of the limit
        SeriesMetrics m = SeriesMetrics.of(series(40, 25, 25, 25, 25, 20));

        assertThat(m.settled()).isFalse();
        assertThat(m.overshootPct()).isCloseTo(12.5, within(1e-9));
        assertThat(m.slowdownPct()).isCloseTo(100 * 5 / 25.0 / 3, within(1e-9));
    }

    @Test
    void noSamplesIsRefused() {
        assertThatThrownBy(() -> SeriesMetrics.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no samples");
    }
}
