package io.dirtylimit.core;

import java.util.concurrent.locks.LockSupport;

/** The daemon thread that runs the limiter's control periods on time, until stopped. */
final class ControllerThread implements Runnable {
    static final String NAME = "dirtylimit-controller";


    private final DirtyLimiter limiter;
    private final Ticker ticker;
    private final Thread thread;
    private volatile boolean runningVolatile = true;

    private ControllerThread(DirtyLimiter limiter, Ticker ticker) {
        this.limiter = limiter;
        this.ticker = ticker;
        this.thread = new Thread(this, NAME);
        thread.setDaemon(true);
    }

    static ControllerThread start(DirtyLimiter limiter, Ticker ticker) {
        ControllerThread controller = new ControllerThread(limiter, ticker);
        controller.thread.start();
        return controller;
    }

    void stop() {
        runningVolatile = false;
        LockSupport.unpark(thread);
    }

    void join(long millis) {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        long deadline = ticker.nanoTime() + limiter.periodNanos();
        while (runningVolatile) {
            long wait = deadline - ticker.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, Math.min(wait, limiter.periodNanos()));
                continue;
            }
            if (!runPeriod()) {
                return;
            }
            deadline = nextDeadline(deadline);
        }
    }

    /**
     * One period; false once this thread was replaced or stopped. Anything thrown (an out-of-memory
     * error included) costs that period only: a dead controller would leave limits that read
     * "enabled" with frozen sleeps.
     */
    private boolean runPeriod() {
        try {
            return limiter.runPeriodOnThread(this);
        } catch (Throwable failure) {
            CoreLog.warn("dirtylimit controller period failed", failure);
            return true;
        }
    }

    /** The next period's end; after a stall, count from now instead of catching up. */
    private long nextDeadline(long deadline) {
        long period = limiter.periodNanos();
        long now = ticker.nanoTime();
        long next = deadline + period;
        return next - now <= 0 ? now + period : next;
    }
}
