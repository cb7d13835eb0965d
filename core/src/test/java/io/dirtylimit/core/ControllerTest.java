package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControllerTest {
    private final FakeTime time = new FakeTime();

    @Test
    void measuresEveryVcpuOverTheTickersElapsedTime() {
        try (DirtyLimiter limiter = time.limiter().build()) {
            Vcpu limited = limiter.registerVcpu(0);
            Vcpu free = limiter.registerVcpu(1);
            limiter.setVcpuDirtyLimit(0, 1000);
            limited.pagesDirtied(256 * 30);
            free.pagesDirtied(256 * 90);
            time.advanceMillis(1500);
            limiter.runControllerPeriod();
            assertThat(limiter.queryVcpuDirtyLimit())
                    .extracting(DirtyLimitInfo::currentRate)
                    .containsExactly(20.0, 60.0); // 30 and 90 MiB over 1.5 s
            free.pagesDirtied(256 * 10);
            time.advanceMillis(500);
            limiter.runControllerPeriod();
            assertThat(limiter.queryVcpuDirtyLimit().get(1).currentRate()).isEqualTo(20.0);
        }
    }

    @Test
    void stepsNothingWhileNoLimitIsSetAndForgetsRatesWhenStopped() {
        try (DirtyLimiter limiter = time.limiter().build()) {
            Vcpu vcpu = limiter.registerVcpu(0);
            vcpu.pagesDirtied(256);
            time.advanceMillis(1000);
            limiter.runControllerPeriod();
            assertThat(limiter.queryVcpuDirtyLimit().get(0).currentRate()).isZero();

            limiter.setVcpuDirtyLimit(0, 100); // starts the controller: measuring from now
            vcpu.pagesDirtied(256 * 5);
            time.advanceMillis(1000);
            limiter.runControllerPeriod();
            assertThat(limiter.queryVcpuDirtyLimit().get(0).currentRate()).isEqualTo(5.0);
            limiter.cancelVcpuDirtyLimit(0);
            assertThat(limiter.queryVcpuDirtyLimit().get(0).currentRate()).isZero();
        }
    }

    /** A policy that throws {@code failure} on every call, and counts the calls. */
    private static final class Failing implements ThrottlePolicy<Void> {
        final Throwable failure;
        int calls;

        Failing(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public Void newState() {
            return null;
        }

        @Override
        public double nextSleepNanos(ThrottleInput input, Void state) {
            calls++;
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }
    }

    @Test
    void aFailingPolicyKeepsTheSleepOncePeriodThenTheVcpuFallsBackToTheDefault() {
        for (Throwable failure : List.of(new IllegalStateException("policy bug"), new StackOverflowError("deep"),
                new OutOfMemoryError("simulated"))) {
            Failing failing = new Failing(failure);
            try (DirtyLimiter limiter = time.limiter().addPolicy("failing", () -> failing).policy("failing").build()) {
                Vcpu vcpu = limiter.registerVcpu(0);
                Vcpu other = limiter.registerVcpu(1);
                limiter.setVcpuDirtyLimit(0, 100);
                limiter.setVcpuDirtyLimit(1, 100);
                for (int period = 1; period <= 3; period++) {
                    vcpu.pagesDirtied(256 * 500); // 500 MB/s against 100
                    time.advanceMillis(1000);
                    limiter.runControllerPeriod();
                    if (period == 1) {
                        assertThat(limiter.queryVcpuDirtyLimit().get(0).sleepNanosPerThrottlePoint()).as(failure.toString())
                                .isZero();
                    }
                }
                // from period 2 on vCPU 0 runs model and sleeps; vCPU 1 (idle) was dropped too, independently
                assertThat(limiter.queryVcpuDirtyLimit().get(0).sleepNanosPerThrottlePoint()).as(failure.toString())
                        .isPositive();
                assertThat(failing.calls).as("one failed call per vCPU, then never again").isEqualTo(2);
                assertThat(limiter.policy()).isEqualTo("failing");
            }
        }
    }

    @Test
    void theControllerThreadSurvivesAnErrorFromAPolicy() {
        Failing failing = new Failing(new OutOfMemoryError("simulated"));
        try (DirtyLimiter limiter = DirtyLimiter.builder().period(Duration.ofMillis(10)).guard(GuardMode.OFF)
                .addPolicy("failing", () -> failing).policy("failing").build()) {
            Vcpu vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                vcpu.pagesDirtied(1); // nothing sleeps yet at this rate: 1 page per poll
                return failing.calls > 0;
            });
            long sampled = limiter.sampledPages(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                vcpu.pagesDirtied(1);
                return limiter.sampledPages(0) >= sampled + 3; // later periods keep counting pages
            });
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("dirtylimit-controller");
        }
    }

    @Test
    void passesThePoliciesWhatTheyNeed() {
        FakeTime.FixedSleep fixed = new FakeTime.FixedSleep(3_000_000);
        try (DirtyLimiter limiter = time.limiter().addPolicy("fixed", () -> fixed).policy("fixed").build()) {
            Vcpu vcpu = limiter.registerVcpu(4);
            limiter.setVcpuDirtyLimit(4, 200);
            vcpu.pagesDirtied(1);
            for (int i = 0; i < 500; i++) {
                time.advanceMillis(2); // 256 pages dirtied in 2 ms, then reported: 500 MB/s, no sleep yet
                vcpu.pagesDirtied(256);
            }
            limiter.runControllerPeriod();
            ThrottleInput input = fixed.inputs.get(0);
            assertThat(input.cpuIndex()).isEqualTo(4);
            assertThat(input.quotaMBps()).isEqualTo(200);
            assertThat(input.measuredMBps()).isCloseTo(500, org.assertj.core.data.Offset.offset(0.01));
            assertThat(input.sleepNanosPerPoint()).isZero();
            assertThat(input.periodNanos()).isEqualTo(1_000_000_000L);
            assertThat(input.pagesPerPoint()).isEqualTo(256);
            assertThat(input.demand().isMeasured()).isTrue();
            assertThat(input.demand().rateAt(0)).isCloseTo(500, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(input.demand().sleepNanosPerPointFor(200)).isCloseTo(3e6, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void theControllerThreadRunsExactlyWhileSomeVcpuIsLimited() {
        try (DirtyLimiter limiter = DirtyLimiter.builder().period(Duration.ofMillis(10)).build()) {
            Vcpu vcpu = limiter.registerVcpu(0);
            assertThat(controllerThreads()).isZero();
            limiter.setVcpuDirtyLimit(0, 1000);
            await().atMost(Duration.ofSeconds(5)).until(() -> controllerThreads() == 1);
            Thread controller = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals(ControllerThread.NAME)).findFirst().orElseThrow();
            assertThat(controller.isDaemon()).isTrue();
            vcpu.pagesDirtied(256);
            await().atMost(Duration.ofSeconds(5)).until(() -> limiter.sampledPages(0) == 256);
            limiter.cancelVcpuDirtyLimit(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> !controller.isAlive());
        }
    }

    private static long controllerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(ControllerThread.NAME) && t.isAlive())
                .count();
    }
}
