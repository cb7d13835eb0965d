package io.dirtylimit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
        Stats stats = Stats.of(0.99, 0.90, 1.02, 0.97, 0.98);
        assertThat(stats.median()).isEqualTo(0.98);
        assertThat(stats.min()).isEqualTo(0.90);
        assertThat(stats.max()).isEqualTo(1.02);
        assertThat(stats.count()).isEqualTo(5);
        assertThat(stats.lowerQuartile()).isEqualTo(0.97);
        assertThat(stats.upperQuartile()).isEqualTo(0.99);
    }

    @Test
    void quartilesInterpolateBetweenOrderStatistics() {
        // Sorted 0, 10, ..., 70: quartile positions (n - 1) p = 1.75, 3.5 and 5.25.
        Stats stats = Stats.of(70, 10, 60, 20, 50, 30, 40, 0);
        assertThat(stats.median()).isEqualTo(35);
        assertThat(stats.lowerQuartile()).isCloseTo(17.5, within(1e-12));
        assertThat(stats.upperQuartile()).isCloseTo(52.5, within(1e-12));
        assertThat(Stats.of(7).lowerQuartile()).isEqualTo(7);
        assertThat(Stats.of(7).upperQuartile()).isEqualTo(7);
    }

    @Test
    void aTargetInsideTheQuartilesIsNotAFirmVerdict() {
        Stats stats = Stats.of(0.95, 0.97, 0.98, 0.99, 1.00);
        assertThat(stats.quartilesStraddle(0.98)).isTrue();
        assertThat(stats.quartilesStraddle(0.97)).isFalse();
        assertThat(stats.quartilesStraddle(0.90)).isFalse();
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Stats.of(4, 1, 3, 2).median()).isEqualTo(2.5);
        assertThat(Stats.of(7).median()).isEqualTo(7);
    }

    @Test
    void anOutlierDoesNotMoveTheMedian() {
        assertThat(Stats.of(1.0, 1.0, 0.2, 1.0, 5.0).median()).isEqualTo(1.0);
    }

    @Test
    void theInputIsNotReordered() {
        double[] values = {3, 1, 2};
        Stats.of(values);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void noValueOrANonFiniteOneIsRefused() {
        assertThatThrownBy(Stats::of).isInstanceOf(IllegalArgumentException.class).hasMessage("no values");
        assertThatThrownBy(() -> Stats.of(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.of(1, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
