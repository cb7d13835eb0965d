package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Chunks, debt, credit, interrupts and wake-ups of a throttle sleep, on virtual time. */
class SleepRulesTest {
    private static final long MS = 1_000_000;
    private static final long US = 1_000;
    private final FakeTime time = new FakeTime();
    private DirtyLimiter limiter;
    private Vcpu vcpu;

    /** vCPU 0 limited to 500 MB/s (points every 256 pages), sleeping {@code nanosPerPoint} per point. */
    private void limitedSleeping(long nanosPerPoint) {
        limiter = time.limiter()
                .addPolicy("fixed", () -> new FakeTime.FixedSleep(nanosPerPoint))
                .policy("fixed")
                .build();
        vcpu = limiter.registerVcpu(0);
        limiter.setVcpuDirtyLimit(0, 500);
        vcpu.pagesDirtied(1); // the vCPU takes up the limit: counting starts after this call
        time.advanceMillis(1000);
        limiter.runControllerPeriod();
        time.sleepCalls.clear();
    }

    /** 256 pages: one quantum, one point. */
    private void point() {
        vcpu.pagesDirtied(256);
    }

    @AfterEach
    void tearDown() {
        Thread.interrupted();
        if (limiter != null) {
            limiter.close();
        }
    }

    @Test
    void sleepsInChunksOfAtMost20Ms() {
        limitedSleeping(50 * MS);
        point();
        assertThat(time.sleepCalls).containsExactly(20 * MS, 20 * MS, 10 * MS);
    }

    @Test
    void sleepBelowTimerGranularityIsDebtPaidOnceWorthASleep() {
        limitedSleeping(30 * US);
        point();
        point();
        point();
        assertThat(time.sleepCalls).isEmpty();
        point(); // 4 x 30 us = 120 us >= 100 us
        assertThat(time.sleepCalls).containsExactly(120 * US);
        point();
        assertThat(time.sleepCalls).containsExactly(120 * US);
    }

    @Test
    void oversleepIsCreditedAgainstTheNextSleep() {
        limitedSleeping(MS);
        time.oversleepNanos = 300 * US;
        point();
        point();
        point();
        assertThat(time.sleepCalls).containsExactly(MS, 700 * US, 700 * US);
        assertThat(limiter.queryVcpuDirtyLimit().get(0).sleptNanos()).isEqualTo(3 * MS + 300 * US);
    }

    @Test
    void creditIsBoundedToOneChunk() {
        limitedSleeping(MS);
        time.oversleepNanos = 50 * MS; // a stall: only 20 ms of it are credited
        point();
        time.oversleepNanos = 0;
        for (int i = 0; i < 20; i++) {
            point(); // paid from the credit
        }
        assertThat(time.sleepCalls).hasSize(1);
        point();
        assertThat(time.sleepCalls).containsExactly(MS, MS);
    }

    @Test
    void anInterruptedThreadDoesNotSleepAndStaysInterrupted() {
        limitedSleeping(5 * MS);
        Thread.currentThread().interrupt();
        point();
        assertThat(time.sleepCalls).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void anInterruptEndsTheSleepAndTheStatusIsRestored() {
        limitedSleeping(100 * MS);
        time.throwAtCall = 2; // the Sleeper clears the status when it throws, like Thread.sleep
        point();
        assertThat(time.sleepCalls).hasSize(2);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void anInterruptSeenBetweenChunksEndsTheSleep() {
        limitedSleeping(100 * MS);
        time.onSleep = call -> {
            if (call == 2) {
                Thread.currentThread().interrupt();
            }
        };
        point();
        assertThat(time.sleepCalls).hasSize(2);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void aLimitChangeEndsTheSleepAfterTheCurrentChunk() {
        limitedSleeping(100 * MS);
        time.onSleep = call -> {
            if (call == 2) {
                limiter.setVcpuDirtyLimit(0, 300);
            }
        };
        point();
        assertThat(time.sleepCalls).hasSize(2);
    }

    @Test
    void cancelCloseAndUnregisterEndTheSleep() {
        for (Runnable stop : new Runnable[] {
            () -> limiter.cancelVcpuDirtyLimit(0),
            () -> limiter.cancelAllVcpuDirtyLimit(),
            () -> limiter.close(),
            () -> limiter.unregisterVcpu(0)
        }) {
            limitedSleeping(100 * MS);
            time.onSleep = call -> {
                if (call == 1) {
                    stop.run();
                }
            };
            point();
            assertThat(time.sleepCalls).hasSize(1);
            time.onSleep = call -> {};
            limiter.close();
        }
    }

    @Test
    void aFailingSleeperNeverReachesTheEmulator() {
        limitedSleeping(50 * MS);
        time.onSleep = call -> {
            throw new IllegalStateException("broken sleeper");
        };
        point();
        point();
        assertThat(time.sleepCalls).hasSize(2);
    }

    @Test
    void aNewLimitForgivesOldDebt() {
        limitedSleeping(60 * US);
        point(); // 60 us of debt
        limiter.setVcpuDirtyLimit(0, 400);
        vcpu.pagesDirtied(1); // takes up the new limit: debt forgiven, counting restarts
        vcpu.pagesDirtied(255);
        vcpu.pagesDirtied(1);
        assertThat(time.sleepCalls).isEmpty(); // 60 us alone is still below the granularity
    }
}
