package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirtyLimiterApiTest {
    private final FakeTime time = new FakeTime();

    @Test
    void refusesNegativeCpuIndex() {
        try (DirtyLimiter limiter = time.limiter().build()) {
            assertThatThrownBy(() -> limiter.registerVcpu(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cpu index must be >= 0, got -1");
            assertThatThrownBy(() -> limiter.setVcpuDirtyLimit(-3, 10))
                    .hasMessage("cpu index must be >= 0, got -3");
        }
    }

    @Test
    void refusesUnknownCpuIndexNamingTheRegisteredOnes() {
        try (DirtyLimiter limiter = time.limiter().build()) {
            assertThatThrownBy(() -> limiter.setVcpuDirtyLimit(0, 10))
                    .hasMessage("cpu index 0 is not a registered vCPU (registered: none)");
            limiter.registerVcpu(0);
            limiter.registerVcpu(1);
            assertThatThrownBy(() -> limiter.setVcpuDirtyLimit(7, 10))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cpu index 7 is not a registered vCPU (registered: 0..1)");
            limiter.registerVcpu(5);
            assertThatThrownBy(() -> limiter.cancelVcpuDirtyLimit(3))
                    .hasMessage("cpu index 3 is not a registered vCPU (registered: 0, 1, 5)");
        }
    }

    @Test
    void refusesBadRates() {
        try (DirtyLimiter limiter = time.limiter().build()) {
            limiter.registerVcpu(0);
            assertThatThrownBy(() -> limiter.setVcpuDirtyLimit(0, -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("dirty rate must be a finite number of MB/s >= 0, got -1.0");
            assertThatThrownBy(() -> limiter.setAllVcpuDirtyLimit(Double.NaN))
                    .hasMessage("dirty rate must be a finite number of MB/s >= 0, got NaN");
            assertThatThrownBy(() -> limiter.setVcpuDirtyLimit(0, Double.POSITIVE_INFINITY))
                    .hasMessageContaining("got Infinity");
        }
    }

    @Test
    void refusesPeriodsOutOfRange() {
        assertThatThrownBy(() -> DirtyLimiter.builder().period(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("period must be between 10 ms and 10 s, got 5 ms");
        try (DirtyLimiter limiter = time.limiter().build()) {
            assertThatThrownBy(() -> limiter.setPeriod(Duration.ofSeconds(11)))
                    .hasMessage("period must be between 10 ms and 10 s, got 11000 ms");
            limiter.setPeriod(Duration.ofMillis(10));
            limiter.setPeriod(Duration.ofSeconds(10));
            assertThat(limiter.period()).isEqualTo(Duration.ofSeconds(10));
        }
    }

    @Test
    void refusesUnknownPolicyNamingTheKnownOnes() {
        assertThatThrownBy(() -> DirtyLimiter.builder().policy("fast").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown policy 'fast' (known: linear, model, pi, qemu, v9)");
        try (DirtyLimiter limiter = time.limiter().build()) {
            assertThatThrownBy(() -> limiter.setPolicy("QEMU"))
                    .hasMessage("unknown policy 'QEMU' (known: linear, model, pi, qemu, v9)");
            assertThat(limiter.policy()).isEqualTo("model");
        }
    }

    @Test
    void refusesNegativeQuantumAndOddPageSizes() {
        assertThatThrownBy(() -> DirtyLimiter.builder().quantumPages(-1))
                .hasMessage("quantum must be >= 0 pages (0: ring-full points only), got -1");
        assertThatThrownBy(() -> DirtyLimiter.builder().pageSize(3000))
                .hasMessage("page size must be a power of two from 512 to 1073741824 bytes, got 3000");
        try (DirtyLimiter limiter = time.limiter().build()) {
            assertThatThrownBy(() -> limiter.setQuantumPages(-5)).isInstanceOf(IllegalArgumentException.class);
            limiter.setQuantumPages(0);
            assertThat(limiter.quantumPages()).isZero();
        }
    }

    @Test
    void hasQemuNamedDefaults() {
        assertThat(DirtyLimiter.policyNames()).containsExactly("linear", "model", "pi", "qemu", "v9");
        try (DirtyLimiter limiter = DirtyLimiter.create()) {
            assertThat(limiter.period()).isEqualTo(Duration.ofSeconds(1));
            assertThat(limiter.policy()).isEqualTo("model");
            assertThat(limiter.quantumPages()).isEqualTo(256);
        }
    }

    @Test
    void zeroCancelsAndFractionalLimitsAreFine() {
        try (DirtyLimiter limiter = time.limiter().build()) {
            limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 0.5);
            assertThat(limiter.queryVcpuDirtyLimit().get(0).enabled()).isTrue();
            assertThat(limiter.queryVcpuDirtyLimit().get(0).limitRate()).isEqualTo(0.5);
            limiter.setVcpuDirtyLimit(0, 0);
            assertThat(limiter.queryVcpuDirtyLimit().get(0).enabled()).isFalse();
            assertThat(limiter.queryVcpuDirtyLimit().get(0).limitRate()).isZero();
        }
    }

    @Test
    void allVcpuLimitAppliesToVcpusRegisteredLaterUntilCancelled() {
        try (DirtyLimiter limiter = time.limiter().build()) {
            limiter.registerVcpu(0);
            limiter.setAllVcpuDirtyLimit(100);
            limiter.registerVcpu(1);
            assertThat(limiter.queryVcpuDirtyLimit()).extracting(DirtyLimitInfo::limitRate).containsExactly(100.0, 100.0);

            limiter.cancelVcpuDirtyLimit(0);
            limiter.registerVcpu(2);
            assertThat(limiter.queryVcpuDirtyLimit()).extracting(DirtyLimitInfo::enabled).containsExactly(false, true, true);

            limiter.cancelAllVcpuDirtyLimit();
            limiter.registerVcpu(3);
            assertThat(limiter.queryVcpuDirtyLimit()).extracting(DirtyLimitInfo::enabled).containsOnly(false);

            limiter.setAllVcpuDirtyLimit(50);
            limiter.setAllVcpuDirtyLimit(0);
            limiter.registerVcpu(4);
            assertThat(limiter.queryVcpuDirtyLimit()).extracting(DirtyLimitInfo::enabled).containsOnly(false);
        }
    }

    @Test
    void registrationIsIdempotentAndUnregisterCancels() {
        try (DirtyLimiter limiter = time.limiter().build()) {
            Vcpu first = limiter.registerVcpu(3);
            assertThat(limiter.registerVcpu(3)).isSameAs(first);
            assertThat(limiter.vcpu(3)).isSameAs(first);
            assertThat(first.index()).isEqualTo(3);
            limiter.setVcpuDirtyLimit(3, 10);
            limiter.unregisterVcpu(3);
            limiter.unregisterVcpu(3); // no-op
            assertThat(limiter.vcpu(3)).isNull();
            assertThat(limiter.queryVcpuDirtyLimit()).isEmpty();
            assertThat(first.quantumPages()).isZero();
        }
    }

    @Test
    void queryListsEveryVcpuInIndexOrderWithCurrentRates() {
        try (DirtyLimiter limiter = time.limiter().build()) {
            Vcpu two = limiter.registerVcpu(2);
            Vcpu zero = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(2, 100);
            zero.pagesDirtied(256 * 50); // 50 MiB
            two.pagesDirtied(256 * 20);
            time.advanceMillis(1000);
            limiter.runControllerPeriod();

            List<DirtyLimitInfo> rows = limiter.queryVcpuDirtyLimit();
            assertThat(rows).extracting(DirtyLimitInfo::cpuIndex).containsExactly(0, 2);
            assertThat(rows.get(0).enabled()).isFalse();
            assertThat(rows.get(0).currentRate()).isEqualTo(50.0);
            assertThat(rows.get(1).enabled()).isTrue();
            assertThat(rows.get(1).limitRate()).isEqualTo(100.0);
            assertThat(rows.get(1).currentRate()).isEqualTo(20.0);
            assertThat(rows.get(1).pagesPerThrottlePoint()).isEqualTo(128); // 100 MB/s: 200 points per 1 s period
        }
    }

    @Test
    void manualStepsOnlyWithManualControlAndSetsOnlyWhileOpen() {
        try (DirtyLimiter threaded = DirtyLimiter.create()) {
            assertThatThrownBy(threaded::runControllerPeriod)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("manualControl()");
        }
        DirtyLimiter limiter = time.limiter().build();
        limiter.registerVcpu(0);
        limiter.close();
        limiter.close(); // idempotent
        assertThatThrownBy(() -> limiter.setVcpuDirtyLimit(0, 10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this dirty limiter is closed");
        assertThat(limiter.queryVcpuDirtyLimit()).hasSize(1);
    }

    @Test
    void addedPoliciesAreSelectableAndBuiltInsCannotBeReplaced() {
        FakeTime.FixedSleep fixed = new FakeTime.FixedSleep(1_000_000);
        assertThatThrownBy(() -> DirtyLimiter.builder().addPolicy("model", () -> fixed))
                .hasMessage("policy 'model' is built in and cannot be replaced");
        try (DirtyLimiter limiter = time.limiter().addPolicy("fixed", () -> fixed).build()) {
            assertThat(limiter.availablePolicies()).contains("fixed", "model");
            limiter.setPolicy("fixed");
            Vcpu vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 100);
            vcpu.pagesDirtied(1000);
            time.advanceMillis(1000);
            limiter.runControllerPeriod();
            assertThat(fixed.inputs).hasSize(1);
            assertThat(limiter.queryVcpuDirtyLimit().get(0).sleepNanosPerThrottlePoint()).isEqualTo(1_000_000);
        }
    }

    @Test
    void policyPeriodAndQuantumChangesTakeEffectAtTheNextPeriod() {
        FakeTime.FixedSleep fixed = new FakeTime.FixedSleep(2_000_000);
        try (DirtyLimiter limiter = time.limiter().addPolicy("fixed", () -> fixed).build()) {
            Vcpu vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 1);
            assertThat(vcpu.quantumPages()).isEqualTo(1); // 1 MB/s = 256 pages/s: a point every page
            limiter.setVcpuDirtyLimit(0, 500);
            assertThat(vcpu.quantumPages()).isEqualTo(256);
            limiter.setPeriod(Duration.ofMillis(100));
            assertThat(vcpu.quantumPages()).isEqualTo(64); // 128000 pages/s * 0.5 ms
            limiter.setQuantumPages(32);
            assertThat(vcpu.quantumPages()).isEqualTo(32);

            limiter.setPolicy("fixed");
            time.advanceMillis(100);
            limiter.runControllerPeriod();
            assertThat(fixed.inputs).hasSize(1);
            assertThat(fixed.inputs.get(0).periodNanos()).isEqualTo(100_000_000L);
            assertThat(limiter.queryVcpuDirtyLimit().get(0).sleepNanosPerThrottlePoint()).isEqualTo(2_000_000);
        }
    }
}
