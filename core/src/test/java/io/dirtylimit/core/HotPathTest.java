package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where throttle points fall and what they charge, on virtual time with a fixed sleep per point. */
class HotPathTest {
    private static final long MS = 1_000_000;
    private final FakeTime time = new FakeTime();

    private DirtyLimiter limiterSleeping(double nanosPerPoint, int quantum) {
        return time.limiter()
                .quantumPages(quantum)
                .addPolicy("fixed", () -> new FakeTime.FixedSleep(nanosPerPoint))
                .policy("fixed")
                .build();
    }

    /**
     * Sets a 500 MB/s limit (quantum 256 pages), lets the vCPU take it up (the call that first sees
     * a new limit starts the count after its own pages) and runs one period so the sleep is published.
     */
    private Vcpu limitedVcpu(DirtyLimiter limiter) {
        Vcpu vcpu = limiter.registerVcpu(0);
        limiter.setVcpuDirtyLimit(0, 500);
        vcpu.pagesDirtied(1);
        time.advanceMillis(1000);
        limiter.runControllerPeriod();
        return vcpu;
    }

    @Test
    void withoutLimitOnlyCounts() {
        try (DirtyLimiter limiter = limiterSleeping(MS, 256)) {
            Vcpu vcpu = limiter.registerVcpu(0);
            for (int i = 0; i < 100; i++) {
                vcpu.pagesDirtied(100);
                vcpu.ringFull();
            }
            assertThat(vcpu.pagesDirtiedTotal()).isEqualTo(10_000);
            assertThat(time.sleepCalls).isEmpty();
            assertThat(limiter.queryVcpuDirtyLimit().get(0).throttlePoints()).isZero();
        }
    }

    @Test
    void ignoresCountsOfZeroOrLess() {
        try (DirtyLimiter limiter = limiterSleeping(MS, 256)) {
            Vcpu vcpu = limiter.registerVcpu(0);
            vcpu.pagesDirtied(0);
            vcpu.pagesDirtied(-5);
            assertThat(vcpu.pagesDirtiedTotal()).isZero();
        }
    }

    @Test
    void quantumPointChargesThePagesSinceTheLastPoint() {
        try (DirtyLimiter limiter = limiterSleeping(MS, 256)) {
            Vcpu vcpu = limitedVcpu(limiter);
            assertThat(vcpu.quantumPages()).isEqualTo(256);
            vcpu.pagesDirtied(100);
            assertThat(time.sleepCalls).isEmpty();
            vcpu.pagesDirtied(200); // 300 pages since the vCPU took up the limit: 300/256 of 1 ms
            assertThat(time.sleepCalls).containsExactly(1_171_875L);
        }
    }

    @Test
    void ringFullAfterAQuantumPointNeverChargesAPageTwice() {
        try (DirtyLimiter limiter = limiterSleeping(MS, 256)) {
            Vcpu vcpu = limitedVcpu(limiter);
            vcpu.pagesDirtied(256);
            vcpu.ringFull(); // 0 pages since the quantum point: nothing to sleep
            assertThat(time.sleepCalls).containsExactly(MS);
            vcpu.pagesDirtied(10);
            vcpu.ringFull(); // 10 pages: 39 062 ns, below the 100 us granularity: debt
            assertThat(time.sleepCalls).containsExactly(MS);
            vcpu.pagesDirtied(256); // 1 ms for these pages plus the debt
            assertThat(time.sleepCalls).containsExactly(MS, MS + 39_062);
            assertThat(limiter.queryVcpuDirtyLimit().get(0).throttlePoints()).isEqualTo(4);
        }
    }

    @Test
    void withQuantumZeroOnlyRingFullPointsThrottleAndChargeTheWholeRing() {
        try (DirtyLimiter limiter = limiterSleeping(8 * MS, 0)) {
            Vcpu vcpu = limiter.registerVcpu(0);
            vcpu.pagesDirtied(4096);
            vcpu.ringFull();
            vcpu.pagesDirtied(4096);
            vcpu.ringFull(); // the ring is seen to hold 4096 pages
            limiter.setVcpuDirtyLimit(0, 100);
            time.advanceMillis(1000);
            limiter.runControllerPeriod();
            assertThat(limiter.queryVcpuDirtyLimit().get(0).pagesPerThrottlePoint()).isEqualTo(4096);

            vcpu.pagesDirtied(1); // sees the new limit: counting starts here
            vcpu.pagesDirtied(4095);
            assertThat(time.sleepCalls).isEmpty();
            vcpu.ringFull();
            assertThat(time.sleepCalls).containsExactly(7_998_046L); // 4095/4096 of 8 ms, truncated
        }
    }

    @Test
    void pagesDirtiedBeforeTheLimitAreNotCharged() {
        try (DirtyLimiter limiter = limiterSleeping(MS, 256)) {
            Vcpu vcpu = limiter.registerVcpu(0);
            vcpu.pagesDirtied(10_000);
            limiter.setVcpuDirtyLimit(0, 500);
            time.advanceMillis(1000);
            limiter.runControllerPeriod();
            vcpu.pagesDirtied(1); // first call under the limit: starts counting after itself
            vcpu.pagesDirtied(255);
            assertThat(time.sleepCalls).isEmpty();
            vcpu.pagesDirtied(1);
            assertThat(time.sleepCalls).containsExactly(MS);
        }
    }

    @Test
    void limitSetButNotYetAdjustedDoesNotSleep() {
        try (DirtyLimiter limiter = limiterSleeping(MS, 256)) {
            Vcpu vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 500);
            for (int i = 0; i < 1000; i++) {
                vcpu.pagesDirtied(64);
                vcpu.ringFull();
            }
            assertThat(time.sleepCalls).isEmpty();
            // every ring-full is a point and restarts the count, so the quantum is never reached
            assertThat(limiter.queryVcpuDirtyLimit().get(0).throttlePoints()).isEqualTo(1000);
        }
    }

    @Test
    void sleptTimeAndPointsAreReported() {
        try (DirtyLimiter limiter = limiterSleeping(2 * MS, 256)) {
            Vcpu vcpu = limitedVcpu(limiter);
            for (int i = 0; i < 5; i++) {
                vcpu.pagesDirtied(256);
            }
            DirtyLimitInfo info = limiter.queryVcpuDirtyLimit().get(0);
            assertThat(info.throttlePoints()).isEqualTo(5);
            assertThat(info.sleptNanos()).isEqualTo(10 * MS);
            assertThat(info.sleepNanosPerThrottlePoint()).isEqualTo(2 * MS);
        }
    }
}
