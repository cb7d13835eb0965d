package io.dirtylimit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Virtual time for tests: a Ticker and a Sleeper in one. Sleeping advances the clock (plus an
 * optional oversleep) and records each call; a hook may act at the n-th call (cancel the limit,
 * interrupt the thread, throw).
 */
final class FakeTime implements Ticker, Sleeper {
    long nowNanos = 1_000_000_000L;
    long oversleepNanos;
    final List<Long> sleepCalls = new ArrayList<>();
    /** Called with the 1-based number of each sleep call, before the clock advances. */
    IntConsumer onSleep = call -> {};
    /** If set, the sleep call with this number throws InterruptedException after clearing the flag. */
    int throwAtCall = -1;

    @Override
    public long nanoTime() {
        return nowNanos;
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        sleepCalls.add(nanos);
        onSleep.accept(sleepCalls.size());
        if (sleepCalls.size() == throwAtCall) {
            Thread.interrupted(); // like Thread.sleep: the status is cleared when it throws
            nowNanos += nanos / 2;
            throw new InterruptedException("fake interrupt");
        }
        nowNanos += nanos + oversleepNanos;
    }

    void advanceMillis(long millis) {
        nowNanos += millis * 1_000_000;
    }

    long totalSleptRequested() {
        return sleepCalls.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * A limiter on this virtual time, stepped by hand, without the limit guarantee: the tests built on
     * it drive the controller's own sleep and measurement (PacingGuardTest turns the guard on).
     */
    DirtyLimiter.Builder limiter() {
        return DirtyLimiter.builder().ticker(this).sleeper(this).manualControl().guard(GuardMode.OFF);
    }

    /** A policy that always answers the same sleep per throttle point. */
    static final class FixedSleep implements ThrottlePolicy<Void> {
        final double sleepNanosPerPoint;
        final List<ThrottleInput> inputs = new ArrayList<>();

        FixedSleep(double sleepNanosPerPoint) {
            this.sleepNanosPerPoint = sleepNanosPerPoint;
        }

        @Override
        public Void newState() {
            return null;
        }

        @Override
        public double nextSleepNanos(ThrottleInput input, Void state) {
            inputs.add(input);
            return sleepNanosPerPoint;
        }
    }
}
