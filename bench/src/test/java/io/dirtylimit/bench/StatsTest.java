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
        assertThat(stats.halfSpreadRelative()).isCloseTo(0.08 / 0.98, within(1e-12));
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
