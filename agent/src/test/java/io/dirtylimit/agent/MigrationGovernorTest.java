package io.dirtylimit.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The governor on virtual time, with 3 fake vCPUs: two writers at 200 MB/s, one compute-only. */
class MigrationGovernorTest {
    private static final long S = 1_000_000_000L;
    private static final long MIB = 1 << 20;
    private static final int PAGE = 4096;

    private long now;
    private final double[] rateMbps = {200, 200, 0.1};
    private final long[] pages = new long[3];
    private final Map<Integer, Double> limits = new HashMap<>();
    private Set<Integer> operator = Set.of();
    private final CpuThrottle cpu = new CpuThrottle(() -> now, n -> now += n);
    private final MigrationGovernor governor = new MigrationGovernor(new MigrationGovernor.Target() {
        @Override
        public int[] vcpus() {
            return new int[] {0, 1, 2};
        }

        @Override
        public long pagesDirtied(int c) {
            return pages[c];
        }

        @Override
        public boolean hasOperatorLimit(int c) {
            return operator.contains(c);
        }

        @Override
        public void setLimit(int c, double mbps) {
            if (mbps == 0) {
                limits.remove(c);
            } else {
                limits.put(c, mbps);
            }
        }
    }, cpu, () -> now, PAGE);

    /** One second of guest time at the limited rates, then a pass at 100 MB/s that saw the dirtying. */
    private void secondPass() {
        long dirtied = 0;
        for (int c = 0; c < 3; c++) {
            double rate = Math.min(rateMbps[c], limits.getOrDefault(c, Double.MAX_VALUE));
            long p = Math.round(rate * MIB / PAGE);
            pages[c] += p;
            dirtied += p * PAGE;
        }
        now += S;
        governor.passCompleted(100 * MIB, dirtied);
    }

    private void configure(MigrationSettings.Mode mode) {
        governor.configure(new MigrationSettings(mode, 1.0, 50, Duration.ofSeconds(1), 40));
    }

    @Test
    void qemuModeLimitsEveryVcpuAfterTwoHighPeriodsAndLiftsAtTheEnd() {
        configure(MigrationSettings.Mode.QEMU);
        governor.migrationStarted(100 * MIB, 50);
        secondPass();
        assertThat(limits).isEmpty();
        secondPass();
        assertThat(limits).containsOnlyKeys(0, 1, 2).containsValues(1.0);
        governor.migrationFinished();
        assertThat(limits).isEmpty();
        assertThat(governor.limitsInForce()).isEmpty();
    }

    @Test
    void fitLimitsOnlyTheWritersToShareTheBudget() {
        configure(MigrationSettings.Mode.FIT);
        governor.migrationStarted(100 * MIB, 50);
        secondPass();
        secondPass();
        // 40 % of 100 MB/s, minus the compute vCPU's 0.1, halved between the writers.
        assertThat(limits).containsOnlyKeys(0, 1);
        assertThat(limits.get(0)).isCloseTo(19.95, within(0.01));
        // Now under the threshold: no further step.
        for (int i = 0; i < 5; i++) {
            secondPass();
        }
        assertThat(limits.get(0)).isCloseTo(19.95, within(0.01));
        governor.migrationFinished();
        assertThat(limits).isEmpty();
    }

    @Test
    void operatorLimitsAreLeftAlone() {
        operator = Set.of(1);
        limits.put(1, 150.0);
        configure(MigrationSettings.Mode.QEMU);
        governor.migrationStarted(100 * MIB, 50);
        secondPass();
        secondPass();
        assertThat(limits).containsEntry(1, 150.0).containsEntry(0, 1.0);
        governor.migrationFinished();
        assertThat(limits).containsOnly(Map.entry(1, 150.0));
    }

    @Test
    void autoConvergeRaisesTheCpuThrottleAndStopsItAtTheEnd() {
        configure(MigrationSettings.Mode.AUTO_CONVERGE);
        governor.migrationStarted(100 * MIB, 50);
        for (int i = 0; i < 4; i++) {
            secondPass();
        }
        assertThat(governor.cpuThrottlePercent()).isEqualTo(30);
        assertThat(limits).isEmpty();
        governor.migrationFinished();
        assertThat(cpu.percent()).isZero();
    }

    @Test
    void offDoesNothingAndSwitchingOffLiftsTheThrottle() {
        governor.migrationStarted(100 * MIB, 50);
        secondPass();
        secondPass();
        assertThat(limits).isEmpty();
        governor.setMode("qemu");
        secondPass();
        secondPass();
        assertThat(limits).hasSize(3);
        governor.setMode("off");
        assertThat(limits).isEmpty();
        assertThat(governor.mode()).isEqualTo("off");
        governor.setMode("auto");
        assertThat(governor.mode()).isEqualTo("fit");
        assertThatThrownBy(() -> governor.setMode("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("off, auto, qemu, fit, auto-converge");
    }

    @Test
    void withoutAStartHookTheBandwidthIsMeasured() {
        configure(MigrationSettings.Mode.FIT);
        secondPass(); // first pass seen: its start, so its duration, is unknown
        secondPass();
        assertThat(limits).isEmpty();
        secondPass();
        assertThat(limits.get(0)).isCloseTo(19.95, within(0.01));
    }

    @Test
    void aPassThatFitsTheDowntimeLiftsTheLimitsBeforeTheGuestIsStopped() {
        configure(MigrationSettings.Mode.FIT);
        governor.migrationStarted(100 * MIB, 50);
        secondPass();
        secondPass();
        assertThat(limits).isNotEmpty();
        now += S / 10;
        governor.passCompleted(5 * MIB, 5 * MIB); // 5 MiB <= 100 MB/s x 50 ms
        assertThat(limits).isEmpty();
        assertThat(governor.limitsInForce()).isEmpty();
    }
}
