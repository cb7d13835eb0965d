package io.dirtylimit.core.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    /** The limits in force (the operator's and the governor's), as the core holds them. */
    private final Map<Integer, Double> limits = new HashMap<>();
    /** The governor's own, as the agent's limit service holds them. */
    private final Map<Integer, Double> governorLimits = new HashMap<>();
    private Set<Integer> operator = Set.of();
    private final List<String> events = new ArrayList<>();
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
        public double governorLimit(int c) {
            return governorLimits.getOrDefault(c, 0.0);
        }

        @Override
        public Map<Integer, Double> governorLimits() {
            return Map.copyOf(governorLimits);
        }

        @Override
        public void setGovernorLimit(int c, double mbps) {
            if (operator.contains(c)) {
                return;
            }
            if (mbps == 0) {
                governorLimits.remove(c);
                limits.remove(c);
            } else {
                governorLimits.put(c, mbps);
                limits.put(c, mbps);
            }
        }

        @Override
        public long controlPeriodNanos() {
            return S;
        }
    }, cpu, () -> now, PAGE, events::add);
    /** The limits as the core applies them: at its control period's boundaries (each whole second), not when set. */
    private final Map<Integer, Double> applied = new HashMap<>();

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

    /**
     * A 200 ms pass at 100 MB/s; the vCPUs dirty at their rates capped by the limits the core has
     * applied, which it does at each whole second (its 1 s control period).
     */
    private void shortPass() {
        long dirtied = 0;
        for (int c = 0; c < 3; c++) {
            double rate = Math.min(rateMbps[c], applied.getOrDefault(c, Double.MAX_VALUE));
            long p = Math.round(rate * MIB / PAGE / 5);
            pages[c] += p;
            dirtied += p * PAGE;
        }
        now += S / 5;
        if (now % S == 0) {
            applied.clear();
            applied.putAll(limits);
        }
        governor.passCompleted(20 * MIB, dirtied);
    }

    private void configure(MigrationMode mode) {
        governor.configure(new MigrationSettings(mode, 1.0, 50, Duration.ofSeconds(1), 40));
    }

    @Test
    void qemuModeLimitsEveryVcpuAfterTwoHighPeriodsAndLiftsAtTheEnd() {
        configure(MigrationMode.QEMU);
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
        configure(MigrationMode.FIT);
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
        configure(MigrationMode.QEMU);
        governor.migrationStarted(100 * MIB, 50);
        secondPass();
        secondPass();
        assertThat(limits).containsEntry(1, 150.0).containsEntry(0, 1.0);
        governor.migrationFinished();
        assertThat(limits).containsOnly(Map.entry(1, 150.0));
    }

    @Test
    void anOperatorsCancelMidMigrationIsSeenAndTheNextStepLimitsAgain() {
        configure(MigrationMode.QEMU);
        governor.migrationStarted(100 * MIB, 50);
        secondPass();
        secondPass();
        assertThat(governor.limitsInForce()).hasSize(3);
        // The operator cancels every limit (the service drops the governor's too): the governor holds none now.
        governorLimits.clear();
        limits.clear();
        assertThat(governor.limitsInForce()).isEmpty();
        assertThat(governor.describe()).contains("in force: none");
        secondPass();
        secondPass();
        assertThat(limits).as("set again at the next step").containsOnlyKeys(0, 1, 2).containsValues(1.0);
        governor.migrationFinished();
        assertThat(limits).isEmpty();
    }

    @Test
    void anOperatorLimitSetDuringTheMigrationIsNeitherLiftedNorOverwritten() {
        configure(MigrationMode.FIT);
        governor.migrationStarted(100 * MIB, 50);
        secondPass();
        secondPass();
        assertThat(governorLimits).containsOnlyKeys(0, 1);
        // The operator takes vCPU 0 over (the service drops the governor's limit there).
        operator = Set.of(0);
        governorLimits.remove(0);
        limits.put(0, 100.0);
        for (int i = 0; i < 6; i++) {
            secondPass();
        }
        assertThat(limits).containsEntry(0, 100.0);
        governor.migrationFinished();
        assertThat(limits).containsOnly(Map.entry(0, 100.0));
        assertThat(events).anyMatch(e -> e.startsWith("throttle step 1: vCPU limits 0: ")).contains("migration ended: throttle lifted");
    }

    @Test
    void autoConvergeRaisesTheCpuThrottleAndStopsItAtTheEnd() {
        configure(MigrationMode.AUTO_CONVERGE);
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
                .hasMessage("migration mode 'fast' is not one of off, auto, fit, qemu, auto-converge");
    }

    @Test
    void withoutAStartHookTheBandwidthIsMeasured() {
        configure(MigrationMode.FIT);
        secondPass(); // first pass seen: its start, so its duration, is unknown
        secondPass();
        assertThat(limits).isEmpty();
        secondPass();
        assertThat(limits.get(0)).isCloseTo(19.95, within(0.01));
    }

    @Test
    void aPassThatFitsTheDowntimeLiftsTheLimitsBeforeTheGuestIsStopped() {
        configure(MigrationMode.FIT);
        governor.migrationStarted(100 * MIB, 50);
        secondPass();
        secondPass();
        assertThat(limits).isNotEmpty();
        now += S / 10;
        governor.passCompleted(5 * MIB, 5 * MIB); // 5 MiB <= 100 MB/s x 50 ms
        assertThat(limits).isEmpty();
        assertThat(governor.limitsInForce()).isEmpty();
    }

    @Test
    void fitDoesNotStepAgainBeforeTheCoreAppliedItsLimits() {
        governor.configure(new MigrationSettings(MigrationMode.FIT, 1.0, 50, Duration.ofMillis(200), 40));
        governor.migrationStarted(100 * MIB, 50);
        shortPass();
        shortPass();
        // Two high 200 ms periods: the first step at 0.4 s, 40 % of the link between the writers.
        assertThat(limits.get(0)).isCloseTo(19.95, within(0.01));
        // The passes up to 1.4 s still show 200 MB/s writers (the core applies the limits at 1 s): no step on them.
        // After that the writers keep to their limits, 40 MB/s of 100: under the threshold, no step at all.
        for (int i = 0; i < 13; i++) {
            shortPass();
            assertThat(limits.get(0)).as("at %d ms", now / 1_000_000).isCloseTo(19.95, within(0.01));
        }
    }

    @Test
    void fitStepsAgainOnEvidenceFromAfterTheControlPeriod() {
        rateMbps[0] = rateMbps[1] = 400; // writers that the applied limits do not hold: the fake core never applies them
        governor.configure(new MigrationSettings(MigrationMode.FIT, 1.0, 50, Duration.ofMillis(200), 40));
        governor.migrationStarted(100 * MIB, 50);
        long[] stepAt = new long[3];
        double last = 0;
        int step = 0;
        while (step < 3) {
            long dirtied = Math.round(800.1 * MIB / 5);
            for (int c = 0; c < 3; c++) {
                pages[c] += Math.round(rateMbps[c] * MIB / PAGE / 5);
            }
            now += S / 5;
            governor.passCompleted(20 * MIB, dirtied);
            double limit = limits.getOrDefault(0, 0.0);
            if (limit != last) {
                stepAt[step++] = now / 1_000_000;
                last = limit;
            }
        }
        // Step at 0.4 s; the passes that began before 1.4 s are stale; two high periods after it: 1.8 s; then 3.2 s.
        assertThat(stepAt).containsExactly(400, 1800, 3200);
        // The budget halves at each step: 40, 20, 10 MB/s, less the compute vCPU's 0.1, between the two writers.
        assertThat(limits.get(0)).isCloseTo(4.95, within(0.01));
    }

    @Test
    void runningIsTheMigrationsLifetime() {
        assertThat(governor.running()).isFalse();
        governor.migrationStarted(100 * MIB, 50);
        assertThat(governor.running()).isTrue();
        assertThat(governor.describe()).contains("migration running, 0 throttle step(s)");
        governor.migrationFinished();
        assertThat(governor.running()).isFalse();
        assertThat(governor.describe()).contains("; idle;");
    }
}
