package io.dirtylimit.core.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TriggerRuleTest {
    private static final long S = 1_000_000_000L;

    @Test
    void twoHighPeriodsInARowTrigger() {
        TriggerRule rule = new TriggerRule(50, S, 0);
        assertThat(rule.onPass(S, 100, 51)).isFalse();
        assertThat(rule.onPass(2 * S, 100, 60)).isTrue();
        // The count starts again after a step.
        assertThat(rule.onPass(3 * S, 100, 60)).isFalse();
        assertThat(rule.onPass(4 * S, 100, 60)).isTrue();
    }

    @Test
    void aLowPeriodResetsTheCount() {
        TriggerRule rule = new TriggerRule(50, S, 0);
        assertThat(rule.onPass(S, 100, 80)).isFalse();
        assertThat(rule.onPass(2 * S, 100, 50)).isFalse(); // exactly 50 %: not above
        assertThat(rule.onPass(3 * S, 100, 80)).isFalse();
        assertThat(rule.onPass(4 * S, 100, 80)).isTrue();
    }

    @Test
    void shortPassesAddUpToOnePeriod() {
        TriggerRule rule = new TriggerRule(50, S, 0);
        // Three passes in one second: 300 sent, 120 dirtied (40 %) although one pass alone is 90 %.
        assertThat(rule.onPass(S / 3, 100, 90)).isFalse();
        assertThat(rule.onPass(2 * S / 3, 100, 15)).isFalse();
        assertThat(rule.onPass(S, 100, 15)).isFalse();
        assertThat(rule.onPass(2 * S, 100, 90)).isFalse();
        assertThat(rule.onPass(3 * S, 100, 90)).isTrue();
    }

    @Test
    void thresholdIsAPercentageOfBytesSent() {
        TriggerRule rule = new TriggerRule(20, S, 0);
        assertThat(rule.isHigh(1000, 201)).isTrue();
        assertThat(rule.isHigh(1000, 200)).isFalse();
        assertThat(rule.isHigh(0, 1)).isTrue();
    }
}
