package io.dirtylimit.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How one vCPU sleeps at a throttle point. Used only by that vCPU's thread.
 *
 * <ul>
 *   <li>Chunks of at most {@link #MAX_CHUNK_NANOS}; before each chunk the sleep stops if the limit was
 *       set, changed or cancelled (or the limiter closed, or the vCPU unregistered: all of them
 *       change the limit epoch and unpark the sleeping thread).
 *   <li>A sleep shorter than {@link #MIN_SLEEP_NANOS} (about the OS timer granularity: parking for
 *       less mostly measures the scheduler) is kept as debt and paid with a later sleep, once the sum
 *       is worth sleeping.
 *   <li>Oversleep, measured with the ticker, is credited against the next sleeps, up to
 *       {@link #MAX_CREDIT_NANOS}.
 *   <li>An interrupt ends the sleep at once and the interrupt status stays set; an already
 *       interrupted thread does not sleep.
 *   <li>A {@link Sleeper} that fails ends the sleep; the failure is logged once per vCPU and never
 *       reaches the emulator.
 * </ul>
 */
final class ThrottleSleep {
    private static final VarHandle DEBT_NANOS;
    private static final VarHandle CREDIT_NANOS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DEBT_NANOS = lookup.findVarHandle(ThrottleSleep.class, "debtNanosOpaque", long.class);
            CREDIT_NANOS = lookup.findVarHandle(ThrottleSleep.class, "creditNanosOpaque", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final long MAX_CHUNK_NANOS = 20_000_000;
    static final long MIN_SLEEP_NANOS = 100_000;
    static final long MAX_CREDIT_NANOS = MAX_CHUNK_NANOS;
    /** Cap of one throttle sleep (QEMU's can reach 99 ring-fill times; ours are chunked anyway). */
    static final long MAX_SLEEP_NANOS = 60_000_000_000L;
    /** Sleeps at least this long are recorded as JFR events. */
    static final long EVENT_THRESHOLD_NANOS = 1_000_000;


    private final Vcpu vcpu;
    private final Ticker ticker;
    private final Sleeper sleeper;
    // Debt and credit: normally one thread's; with several threads feeding one vCPU they race, and a
    // lost update only moves one sleep by less than the bounds (debt < MIN_SLEEP, credit <= MAX_CREDIT).
    private long debtNanosOpaque;
    private long creditNanosOpaque;
    /** Benign race: at worst the failure is logged twice. */
    private volatile boolean sleeperFailureLoggedVolatile;

    ThrottleSleep(Vcpu vcpu, Ticker ticker, Sleeper sleeper) {
        this.vcpu = vcpu;
        this.ticker = ticker;
        this.sleeper = sleeper;
    }

    /** A new limit epoch: old debt and credit belong to the old limit. */
    void startAfresh() {
        DEBT_NANOS.setOpaque(this, 0L);
        CREDIT_NANOS.setOpaque(this, 0L);
    }

    /**
     * Sleeps {@code requestedNanos} (the controller's sleep for {@code pages} pages), or
     * {@code pacingNanos} (what the pacing clock of the limit guarantee asks) if longer, by the rules
     * above, from {@code nowNanos} (the ticker's reading at the throttle point). Debt and credit
     * belong to the controller's sleep: the pacing clock keeps its own account in absolute time, so a
     * pacing wait skipped as too short is still owed at the next point. Returns the time slept.
     */
    long atThrottlePoint(double requestedNanos, long pacingNanos, int epoch, long pages, long nowNanos) {
        long requested = withDebtAndCredit((long) Math.min(requestedNanos, MAX_SLEEP_NANOS));
        long due = Math.min(Math.max(requested, pacingNanos), MAX_SLEEP_NANOS);
        if (due < MIN_SLEEP_NANOS) {
            DEBT_NANOS.setOpaque(this, requested);
            return 0;
        }
        DEBT_NANOS.setOpaque(this, 0L);
        Thread self = Thread.currentThread();
        if (self.isInterrupted()) {
            return 0;
        }
        Object event = Trace.beginSleep(due);
        long slept = sleepInChunks(self, due, epoch, nowNanos);
        creditOversleep(slept - due);
        vcpu.addSleptNanos(slept);
        Trace.endSleep(event, vcpu.index(), due, slept, pages);
        return slept;
    }

    private long withDebtAndCredit(long requestedNanos) {
        long due = Math.max(0, requestedNanos) + (long) DEBT_NANOS.getOpaque(this);
        long available = (long) CREDIT_NANOS.getOpaque(this);
        long credit = Math.min(available, due);
        CREDIT_NANOS.setOpaque(this, available - credit);
        return due - credit;
    }

    private void creditOversleep(long oversleptNanos) {
        if (oversleptNanos > 0) {
            CREDIT_NANOS.setOpaque(this, Math.min((long) CREDIT_NANOS.getOpaque(this) + oversleptNanos, MAX_CREDIT_NANOS));
        }
    }

    /**
     * Sleeps until {@code due} has passed on the ticker, in chunks, and returns the time slept. The
     * thread is published before the epoch is checked (both volatile), and the limiter changes the
     * epoch before it reads the thread to unpark it: one of the two always sees the other.
     */
    private long sleepInChunks(Thread self, long due, int epoch, long start) {
        long slept = 0;
        long chunksLeft = due / MIN_SLEEP_NANOS + 16; // bounds the loop even if a Sleeper returns early
        vcpu.fallingAsleep(self);
        try {
            while (slept < due && chunksLeft-- > 0 && vcpu.limitUnchangedSince(epoch) && !self.isInterrupted()) {
                sleeper.sleep(Math.min(due - slept, MAX_CHUNK_NANOS));
                slept = ticker.nanoTime() - start;
            }
        } catch (InterruptedException e) {
            self.interrupt(); // a Sleeper may clear the status when it throws: restore it
            slept = ticker.nanoTime() - start;
        } catch (RuntimeException e) {
            logSleeperFailure(e);
            slept = ticker.nanoTime() - start;
        } finally {
            vcpu.wokeUp(self);
        }
        return slept;
    }

    private void logSleeperFailure(RuntimeException e) {
        if (!sleeperFailureLoggedVolatile) {
            sleeperFailureLoggedVolatile = true;
            CoreLog.warn("dirtylimit: the sleeper failed on vCPU " + vcpu.index()
                    + "; its throttle sleeps end early", e);
        }
    }
}
