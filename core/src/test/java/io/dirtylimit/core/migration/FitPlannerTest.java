package io.dirtylimit.core.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FitPlannerTest {

    @Test
    void vcpusUnderTheirShareAreUntouchedAndLeaveTheirBudgetToTheOthers() {
        // Budget 40: the 2 MB/s vCPU keeps running, the two 200 MB/s writers share the other 38.
        double[] limits = FitPlanner.limits(new double[] {200, 2, 200}, new boolean[3], 40, 1);
        assertThat(limits[1]).isZero();
        assertThat(limits[0]).isCloseTo(19, within(1e-9));
        assertThat(limits[2]).isCloseTo(19, within(1e-9));
    }

    @Test
    void unequalWritersWaterFill() {
        // Budget 60 among 10, 30, 100: 10 is under 20, then 50 left for two: 30 is under 25? no: both get 25.
        double[] limits = FitPlanner.limits(new double[] {10, 30, 100}, new boolean[3], 60, 1);
        assertThat(limits).containsExactly(new double[] {0, 25, 25}, within(1e-9));
        // Budget 90: 10 and 30 fit, 100 gets the remaining 50.
        assertThat(FitPlanner.limits(new double[] {10, 30, 100}, new boolean[3], 90, 1))
                .containsExactly(new double[] {0, 0, 50}, within(1e-9));
    }

    @Test
    void aGuestUnderBudgetIsNotLimitedAtAll() {
        assertThat(FitPlanner.limits(new double[] {5, 5}, new boolean[2], 40, 1)).containsExactly(0, 0);
    }

    @Test
    void operatorLimitedVcpusUseBudgetButAreNeverLimited() {
        double[] limits = FitPlanner.limits(new double[] {30, 100, 100}, new boolean[] {true, false, false}, 50, 1);
        assertThat(limits).containsExactly(new double[] {0, 10, 10}, within(1e-9));
    }

    @Test
    void neverBelowTheFloor() {
        double[] limits = FitPlanner.limits(new double[] {80, 100}, new boolean[] {true, false}, 40, 1);
        assertThat(limits).containsExactly(0, 1);
    }

    @Test
    void budgetHalvesForEachFurtherStep() {
        assertThat(FitPlanner.budgetMbps(100, 40, 1)).isEqualTo(40);
        assertThat(FitPlanner.budgetMbps(100, 40, 2)).isEqualTo(20);
        assertThat(FitPlanner.budgetMbps(100, 40, 3)).isEqualTo(10);
    }
}
