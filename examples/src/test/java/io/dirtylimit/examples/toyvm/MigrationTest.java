package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MigrationTest {
    private static final double MIB = 1 << 20;
    private Machine vm;

    @AfterEach
    void shutdown() throws InterruptedException {
        if (vm != null) {
            vm.shutdown();
        }
    }

    private MigrationResult migrate(String params) throws Exception {
        Migration migration = vm.migrate(MigrationParams.parse(List.of(params.split(" "))));
        MigrationResult result = migration.awaitResult(60, TimeUnit.SECONDS);
        assertThat(result).as("migration finished").isNotNull();
        return result;
    }

    @Test
    void convergesWhenTheDirtyRateIsWellUnderTheBandwidth() throws Exception {
        vm = TestVms.machine("--mem", "32M", "--vcpus", "2", "--workload", "seq,1:copy", "--dirty-rate", "10");
        vm.start();
        MigrationResult r = migrate("bandwidth=200 downtime=5");
        assertThat(r.converged()).isTrue();
        assertThat(r.reason()).isEqualTo("converged");
        assertThat(r.identical()).as("destination equals source").isTrue();
        assertThat(r.passes()).isGreaterThanOrEqualTo(2);
        assertThat(r.bytesSent()).isGreaterThan(32L << 20);
        assertThat(vm.vcpu(0).state()).as("resumed").isNotEqualTo(VcpuState.PAUSED);
        assertNeverFasterThanTheBandwidth(r);
    }

    @Test
    void everyWorkloadMigratesIntact() throws Exception {
        vm = TestVms.machine("--mem", "32M", "--vcpus", "5", "--workload", "seq,1:random,2:copy,3:bursty,4:compute",
                "--dirty-rate", "20");
        vm.start();
        MigrationResult r = migrate("bandwidth=400 downtime=20");
        assertThat(r.converged()).isTrue();
        assertThat(r.identical()).isTrue();
    }

    @Test
    void convergesWithoutRingsToo() throws Exception {
        vm = TestVms.machine("--mem", "32M", "--vcpus", "2", "--ring", "0", "--dirty-rate", "10");
        vm.start();
        MigrationResult r = migrate("bandwidth=200 downtime=5");
        assertThat(r.converged()).isTrue();
        assertThat(r.identical()).isTrue();
    }

    @Test
    void reportsNonConvergenceWhenTheDirtyRateIsWellOverTheBandwidth() throws Exception {
        vm = TestVms.machine("--mem", "16M", "--dirty-rate", "400");
        vm.start();
        MigrationResult r = migrate("bandwidth=40 downtime=10 max-passes=4");
        assertThat(r.converged()).isFalse();
        assertThat(r.reason()).isEqualTo("max-passes");
        assertThat(r.passes()).isEqualTo(4);
        assertThat(r.identical()).as("never compared").isNull();
        assertThat(r.bytesSent()).as("every pass resent all RAM").isEqualTo(4L * (16 << 20));
        assertNeverFasterThanTheBandwidth(r);
        long before = vm.vcpu(0).instructionsAcquire();
        await().atMost(Duration.ofSeconds(10)).until(() -> vm.vcpu(0).instructionsAcquire() > before);
    }

    @Test
    void givesUpAtItsTimeLimit() throws Exception {
        vm = TestVms.machine("--mem", "16M", "--dirty-rate", "50");
        vm.start();
        MigrationResult r = migrate("bandwidth=2 max-seconds=1");
        assertThat(r.converged()).isFalse();
        assertThat(r.reason()).isEqualTo("max-time");
        assertThat(r.totalMillis()).isBetween(1000L, 5000L);
    }

    @Test
    void canBeCancelledAndThenStartedAgain() throws Exception {
        vm = TestVms.machine("--mem", "16M", "--dirty-rate", "10");
        vm.start();
        Migration slow = vm.migrate(MigrationParams.parse(List.of("bandwidth=1")));
        assertThatRefused(() -> vm.migrate(MigrationParams.DEFAULTS));
        slow.cancel();
        MigrationResult cancelled = slow.awaitResult(30, TimeUnit.SECONDS);
        assertThat(cancelled.converged()).isFalse();
        assertThat(cancelled.reason()).isEqualTo("cancelled");
        MigrationResult again = migrate("bandwidth=500 downtime=50");
        assertThat(again.converged()).isTrue();
        assertThat(again.identical()).isTrue();
    }

    @Test
    void printsOneJsonResultLine() throws Exception {
        TestVms.Output output = new TestVms.Output();
        vm = TestVms.machine(StatsSink.none(), output, "--mem", "8M", "--dirty-rate", "5", "--stats", "csv");
        vm.start();
        migrate("bandwidth=500 downtime=50");
        await().atMost(Duration.ofSeconds(10)).until(() -> output.out().contains("converged"));
        assertThat(output.out()).containsPattern(
                "(?m)^# \\{\"converged\":true,\"reason\":\"converged\",\"total_ms\":\\d+,\"downtime_ms\":\\d+,\"passes\":\\d+,"
                        + "\"bytes_sent\":\\d+,\"identical\":true,\"bandwidth_mbps\":500,\"downtime_limit_ms\":50}$");
        assertThat(output.err()).contains("migration: pass 1: sent 8.0 MiB");
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void assertThatRefused(Action action) {
        try {
            action.run();
        } catch (MonitorException e) {
            assertThat(e.getMessage()).contains("already in progress");
            return;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("a second migration was not refused");
    }

    private static void assertNeverFasterThanTheBandwidth(MigrationResult r) {
        double seconds = r.totalMillis() / 1000.0 + 0.01; // the link allows about 1 ms of burst
        assertThat(r.bytesSent() / MIB / seconds).isLessThanOrEqualTo(r.params().bandwidthMbps());
    }
}
