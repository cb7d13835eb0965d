package io.dirtylimit.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dirtylimit.agent.runtime.FakeThrottle;
import io.dirtylimit.agent.runtime.VcpuDirectory;
import io.dirtylimit.core.migration.CpuThrottle;
import io.dirtylimit.core.migration.MigrationGovernor;
import io.dirtylimit.core.migration.MigrationMode;
import io.dirtylimit.core.migration.MigrationSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The one limit service with a fake core and the real migration governor on virtual time: every way
 * a limit is set meets the others here. After each case the core holds exactly what the service
 * says is in force: nothing orphaned, nothing lost.
 */
class LimitServiceTest {
    private static final long S = 1_000_000_000L;
    private static final long MIB = 1 << 20;
    private static final int PAGE = 4096;

    private final FakeThrottle core = new FakeThrottle();
    private final VcpuDirectory directory = new VcpuDirectory(core, 16);
    private final LimitService limits = new LimitService(core, directory);
    private final List<Boolean> waiting = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private long now = S;
    private final MigrationGovernor governor = new MigrationGovernor(limits, new CpuThrottle(() -> now, n -> now += n),
            () -> now, PAGE, events::add);

    LimitServiceTest() {
        directory.onRegistered(limits::vcpuRegistered);
        limits.onWaitingChange(waiting::add);
    }

    private void see(int... cpus) {
        FakeThrottle.see(directory, cpus);
    }

    /** The core holds, per registered vCPU, what the service's query says is in force. */
    private void assertCoreMatchesTheService() {
        Map<Integer, Double> inForce = new java.util.TreeMap<>();
        for (LimitService.Row row : limits.query()) {
            if (row.enabled() && !row.pending()) {
                inForce.put(row.cpu(), row.limitMbps());
            }
        }
        assertThat(core.limits).isEqualTo(inForce);
    }

    private LimitService.Owner owner(int cpu) {
        return limits.query().stream().filter(r -> r.cpu() == cpu).findFirst().orElseThrow().owner();
    }

    /** One second of guest time at 200 MB/s per vCPU (capped by their limits), then a 100 MB/s pass that saw it. */
    private void highPass() {
        long dirtied = 0;
        for (int cpu : directory.registered()) {
            double rate = Math.min(200, core.limits.getOrDefault(cpu, Double.MAX_VALUE));
            long pages = Math.round(rate * MIB / PAGE);
            core.ports.get(cpu).pagesDirtied((int) pages);
            dirtied += pages * PAGE;
        }
        now += S;
        governor.passCompleted(100 * MIB, Math.max(dirtied, 60 * MIB));
    }

    private void governed(MigrationMode mode) {
        governor.configure(new MigrationSettings(mode, 1.0, 50, Duration.ofSeconds(1), 40));
    }

    @Test
    void setForAVcpuNotSeenYetWaitsForItLikeTheLimitOption() {
        see(0, 1);
        assertThat(limits.set(7, 100)).as("pending").isFalse();
        assertThat(limits.pending()).containsExactly(Map.entry(7, 100.0));
        assertThat(limits.describe()).isEqualTo("vCPU 7 100 MB/s (waiting for vCPU(s) [7] to appear)");
        assertThat(limits.query()).last().satisfies(row -> {
            assertThat(row.cpu()).isEqualTo(7);
            assertThat(row.pending()).isTrue();
            assertThat(row.owner()).isEqualTo(LimitService.Owner.OPERATOR);
        });
        assertThat(waiting).containsExactly(false, true);

        see(7);
        assertThat(core.limits).containsExactly(Map.entry(7, 100.0));
        assertThat(limits.pending()).isEmpty();
        assertThat(waiting).containsExactly(false, true, false);
        assertThat(limits.set(1, 50)).as("seen: in force at once").isTrue();
        assertCoreMatchesTheService();

        limits.replace(LimitSpec.parse("9:30"));
        assertThat(limits.pending()).containsExactly(Map.entry(9, 30.0));
        assertThat(core.limits).as("limit= replaces the operator's limits").isEmpty();
    }

    @Test
    void badIndexesAndRatesAreRefusedWithAMessage() {
        assertThatThrownBy(() -> limits.set(16, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cpu index 16 is out of range 0..15 (the profile's max-vcpus)");
        assertThatThrownBy(() -> limits.set(-1, 10)).hasMessage("cpu index must be >= 0, got -1");
        assertThatThrownBy(() -> limits.set(1, -5)).hasMessage("dirty rate must be a finite number of MB/s >= 0, got -5.0");
        assertThatThrownBy(() -> limits.setAll(Double.NaN)).hasMessage("dirty rate must be a finite number of MB/s >= 0, got NaN");
        assertThat(limits.pending()).isEmpty();
    }

    @Test
    void cancelClearsPendingLimitsAndLetsTheCountingGoIdle() {
        see(0);
        limits.replace(LimitSpec.parse("1:5"));
        assertThat(waiting).containsExactly(false, true);
        limits.cancelAll();
        assertThat(limits.pending()).isEmpty();
        assertThat(waiting).as("nothing waits: the hooks may idle").containsExactly(false, true, false);
        see(1);
        assertThat(core.limits).as("vCPU 1 appears unlimited").isEmpty();

        limits.set(5, 20);
        limits.cancel(5);
        assertThat(limits.pending()).isEmpty();
        assertThat(limits.describe()).isEqualTo("none (prepared)");
    }

    @Test
    void aRateForEveryVcpuCoversLaterOnesAndACancelExemptsOne() {
        see(0);
        limits.setAll(150);
        assertThat(waiting).as("vCPUs still to come must be seen").endsWith(true);
        see(1);
        assertThat(core.limits).containsExactly(Map.entry(0, 150.0), Map.entry(1, 150.0));
        limits.cancel(1);
        assertThat(core.limits).containsExactly(Map.entry(0, 150.0));
        assertThat(limits.describe()).isEqualTo("all vCPUs 150 MB/s; vCPU 1 none");
        limits.setAll(0);
        assertThat(core.limits).isEmpty();
        assertThat(waiting).endsWith(false);
    }

    /** The story: an operator's limit set before a governed migration survives it. */
    @Test
    void theOperatorsLimitSurvivesAGovernedMigration() {
        see(0, 1, 2);
        limits.set(0, 100);
        governed(MigrationMode.FIT);
        governor.migrationStarted(100 * MIB, 50);
        highPass();
        highPass();
        assertThat(governor.limitsInForce()).as("the governor limits the others only").containsOnlyKeys(1, 2);
        assertThat(core.limits).containsEntry(0, 100.0);
        assertThat(owner(1)).isEqualTo(LimitService.Owner.GOVERNOR);
        assertCoreMatchesTheService();

        governor.passCompleted(5 * MIB, 4 * MIB); // the last pass fits the downtime: the governor lifts its own
        governor.migrationFinished();
        assertThat(core.limits).containsExactly(Map.entry(0, 100.0));
        assertThat(owner(0)).isEqualTo(LimitService.Owner.OPERATOR);
        assertThat(limits.describe()).isEqualTo("vCPU 0 100 MB/s");
        assertThat(events).contains("the last pass fits the downtime limit: throttle lifted");
    }

    @Test
    void anOperatorsSetDuringAGovernedMigrationWinsAndIsKeptAfterIt() {
        see(0, 1);
        governed(MigrationMode.QEMU);
        governor.migrationStarted(100 * MIB, 50);
        highPass();
        highPass();
        assertThat(core.limits).containsExactly(Map.entry(0, 1.0), Map.entry(1, 1.0));

        limits.set(1, 300);
        assertThat(core.limits).containsEntry(1, 300.0);
        assertThat(governor.limitsInForce()).as("the operator took vCPU 1 over").containsOnlyKeys(0);
        highPass();
        highPass();
        assertThat(core.limits).as("the next step leaves it alone").containsEntry(1, 300.0);
        governor.migrationFinished();
        assertThat(core.limits).containsExactly(Map.entry(1, 300.0));
        assertCoreMatchesTheService();
    }

    @Test
    void aCancelMidMigrationIsSeenByTheGovernorWhichLimitsAgainAtItsNextStep() {
        see(0, 1);
        governed(MigrationMode.QEMU);
        governor.migrationStarted(100 * MIB, 50);
        highPass();
        highPass();
        assertThat(governor.limitsInForce()).hasSize(2);

        limits.cancelAll(); // the tool's cancel, through the MXBean
        assertThat(core.limits).isEmpty();
        assertThat(governor.limitsInForce()).as("it knows it holds none").isEmpty();
        assertThat(governor.describe()).contains("in force: none");
        highPass();
        highPass();
        assertThat(core.limits).as("set again at the next step").containsExactly(Map.entry(0, 1.0), Map.entry(1, 1.0));
        governor.migrationFinished();
        assertThat(core.limits).isEmpty();
    }

    /**
     * New options (limit=0:50) applied while the governor is inside a throttle step: the option waits
     * for the step (one lock), and when the migration ends nothing of the governor's is left in the core.
     */
    @Test
    void optionsAppliedDuringAGovernorStepLeaveNoOrphanedLimit() throws Exception {
        see(0, 1);
        governed(MigrationMode.QEMU);
        governor.migrationStarted(100 * MIB, 50);
        highPass();
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        core.beforeSetLimit = () -> {
            if (Thread.currentThread().getName().equals("migration")) {
                inStep.countDown();
                awaitQuietly(release);
            }
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread migration = new Thread(() -> run(this::highPass, failure), "migration");
        migration.start();
        assertThat(inStep.await(10, TimeUnit.SECONDS)).as("the step began setting limits").isTrue();
        Thread attach = new Thread(() -> run(() -> limits.replace(LimitSpec.parse("0:50")), failure), "attach");
        attach.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> attach.getState() == Thread.State.BLOCKED);
        core.beforeSetLimit = () -> { };
        release.countDown();
        migration.join(10_000);
        attach.join(10_000);
        assertThat(failure.get()).isNull();

        assertThat(core.limits).containsExactly(Map.entry(0, 50.0), Map.entry(1, 1.0));
        assertCoreMatchesTheService();
        governor.migrationFinished();
        assertThat(core.limits).as("only the operator's limit is left").containsExactly(Map.entry(0, 50.0));
        assertThat(governor.limitsInForce()).isEmpty();
    }

    private static void run(Runnable body, AtomicReference<Throwable> failure) {
        try {
            body.run();
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
