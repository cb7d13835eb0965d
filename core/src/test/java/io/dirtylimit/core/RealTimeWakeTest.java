package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Real threads, real parking: a vCPU asleep in a 10 s throttle sleep wakes promptly on cancel, close,
 * a limit change, unregister and interrupt. The rule is "within one 20 ms chunk"; unparking makes it
 * immediate, so the band asserted here (250 ms, against a 10 s sleep) is wide for a loaded machine
 * yet still proves the wake-up.
 */
class RealTimeWakeTest {
    private static final long TEN_SECONDS = 10_000_000_000L;
    private static final Duration WAKE_BAND = Duration.ofMillis(250);

    /** A vCPU thread that hits one throttle point asking for 10 s, then records when it returned. */
    private static final class SleepingVcpu {
        final DirtyLimiter limiter;
        final Vcpu vcpu;
        final Thread thread;
        final AtomicLong returnedAt = new AtomicLong();
        final AtomicBoolean interruptedAfter = new AtomicBoolean();

        SleepingVcpu() {
            limiter = DirtyLimiter.builder()
                    .manualControl()
                    .guard(GuardMode.OFF) // a 10 s controller sleep, not a pacing wait, is woken here
                    .addPolicy("ten-seconds", () -> new FakeTime.FixedSleep(TEN_SECONDS))
                    .policy("ten-seconds")
                    .build();
            vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 500);
            vcpu.pagesDirtied(1); // takes up the limit (this thread, before the vCPU thread starts)
            limiter.runControllerPeriod();
            thread = new Thread(() -> {
                vcpu.pagesDirtied(vcpu.quantumPages());
                returnedAt.set(System.nanoTime());
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            }, "test-vcpu");
            thread.setDaemon(true);
            thread.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
        }

        Duration wakeAfter(Consumer<SleepingVcpu> action) throws InterruptedException {
            long start = System.nanoTime();
            action.accept(this);
            thread.join(5000);
            limiter.close();
            assertThat(thread.isAlive()).as("vCPU thread still asleep").isFalse();
            return Duration.ofNanos(returnedAt.get() - start);
        }
    }

    @Test
    void cancelWakesASleepingVcpu() throws InterruptedException {
        SleepingVcpu sleeping = new SleepingVcpu();
        assertThat(sleeping.wakeAfter(s -> s.limiter.cancelVcpuDirtyLimit(0))).isLessThan(WAKE_BAND);
        assertThat(sleeping.interruptedAfter).isFalse();
    }

    @Test
    void closeWakesASleepingVcpu() throws InterruptedException {
        assertThat(new SleepingVcpu().wakeAfter(s -> s.limiter.close())).isLessThan(WAKE_BAND);
    }

    @Test
    void aLimitChangeWakesASleepingVcpu() throws InterruptedException {
        assertThat(new SleepingVcpu().wakeAfter(s -> s.limiter.setVcpuDirtyLimit(0, 100))).isLessThan(WAKE_BAND);
    }

    @Test
    void unregisterWakesASleepingVcpu() throws InterruptedException {
        assertThat(new SleepingVcpu().wakeAfter(s -> s.limiter.unregisterVcpu(0))).isLessThan(WAKE_BAND);
    }

    @Test
    void interruptWakesASleepingVcpuAndStaysSet() throws InterruptedException {
        SleepingVcpu sleeping = new SleepingVcpu();
        assertThat(sleeping.wakeAfter(s -> s.thread.interrupt())).isLessThan(WAKE_BAND);
        assertThat(sleeping.interruptedAfter).isTrue();
    }

    @Test
    void theDefaultSleeperReportsInterruptsWithoutClearingThem() {
        Thread.currentThread().interrupt();
        try {
            Sleeper.parking().sleep(1_000_000_000L);
            throw new AssertionError("no InterruptedException");
        } catch (InterruptedException expected) {
            assertThat(Thread.interrupted()).isTrue();
        }
    }
}
