package io.dirtylimit.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One registered vCPU, and the hot path the instrumentation calls from that vCPU's own thread.
 *
 * <p>The hot-path methods take no lock and allocate nothing; with no limit set they cost a few
 * nanoseconds. They may sleep the calling thread (in chunks of at most 20 ms) when a limit is set.
 * A {@link Thread#interrupt()} ends a sleep at once and the interrupt status stays set.
 *
 * <p>Only the vCPU's own thread may call {@link #pagesDirtied} and {@link #ringFull}: the page
 * counter has a single writer.
 *
 * <p>How throttling works: while a limit is set the controller publishes a sleep per dirtied page.
 * A throttle point (a ring-full exit, or every {@link #quantumPages()} pages) sleeps for the pages
 * dirtied since the previous throttle point times that sleep per page, so ring-full and quantum
 * points never charge the same page twice. Where the limit guarantee is on ({@link GuardMode}), the
 * point sleeps until the vCPU's pacing clock says its pages are earned at the quota instead: no
 * landing is needed, so the first period after a limit is held and a change of speed is followed at
 * the next point, not the next period.
 */
public final class Vcpu {
    private static final VarHandle PAGES_DIRTIED;
    private static final VarHandle LIMIT_EPOCH;
    private static final VarHandle SLEEP_PICOS_PER_PAGE;
    private static final VarHandle GUARD_PICOS_PER_PAGE;
    private static final VarHandle QUANTUM_PAGES;
    private static final VarHandle RING_FILL_PAGES;
    private static final VarHandle THROTTLE_POINTS;
    private static final VarHandle SLEPT_NANOS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PAGES_DIRTIED = lookup.findVarHandle(Vcpu.class, "pagesDirtiedOpaque", long.class);
            LIMIT_EPOCH = lookup.findVarHandle(Vcpu.class, "limitEpochVolatile", int.class);
            SLEEP_PICOS_PER_PAGE = lookup.findVarHandle(Vcpu.class, "sleepPicosPerPageOpaque", long.class);
            GUARD_PICOS_PER_PAGE = lookup.findVarHandle(Vcpu.class, "guardPicosPerPageOpaque", long.class);
            QUANTUM_PAGES = lookup.findVarHandle(Vcpu.class, "quantumPagesOpaque", int.class);
            RING_FILL_PAGES = lookup.findVarHandle(Vcpu.class, "ringFillPagesOpaque", long.class);
            THROTTLE_POINTS = lookup.findVarHandle(Vcpu.class, "throttlePointsOpaque", long.class);
            SLEPT_NANOS = lookup.findVarHandle(Vcpu.class, "sleptNanosOpaque", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Longest sleep per page the controller may publish (1 s: about 4 KiB/s). */
    static final long MAX_SLEEP_PICOS_PER_PAGE = 1_000_000_000_000L;

    private final int index;
    private final Ticker ticker;
    private final ThrottleSleep throttleSleep;
    /** The pacing clock of the limit guarantee; vCPU-thread-only state. */
    private final PacingGuard guard = new PacingGuard();
    /** Cycles by unthrottled speed, for the policies' demand curve; written by the vCPU thread. */
    final DemandHistogram demand = new DemandHistogram();
    /** Limit, policy and measurement state; guarded by the limiter's control lock. */
    final VcpuControl control = new VcpuControl();

    // Shared fields. Writers: the vCPU thread (pages, ring fill, points, slept) publishes with
    // setOpaque; the limiter, under its control lock, publishes the epoch with setVolatile and the
    // sleep per page and quantum with setOpaque. Readers use getOpaque, or stronger where noted.

    /** Pages reported since registration. Single writer: the vCPU thread. */
    private long pagesDirtiedOpaque;
    /**
     * 0: no limit; otherwise a number that changes on every set, change or cancel of the limit.
     * Written with setVolatile; the fast path reads it with getOpaque, the sleep loop with
     * getVolatile (it pairs with {@link #sleepingThreadVolatile} so that no wake-up is lost).
     */
    private int limitEpochVolatile;
    /** Sleep per dirtied page, picoseconds, published by the controller. */
    private long sleepPicosPerPageOpaque;
    /**
     * Time per page at the quota, picoseconds, for the pacing clock; 0: no guarantee (no limit, or
     * the guard is off for the policy). Published before the limit epoch, so a vCPU that follows a
     * new epoch sees it.
     */
    private long guardPicosPerPageOpaque;
    /** Pages between quantum throttle points; 0: ring-full points only (or no limit). */
    private int quantumPagesOpaque;
    /** Pages dirtied between the last two ring-full exits; 0 until two were seen. */
    private long ringFillPagesOpaque;
    private long throttlePointsOpaque;
    private long sleptNanosOpaque;
    /** The thread while it sleeps at a throttle point, so that a limit change can unpark it. */
    private volatile Thread sleepingThreadVolatile;

    // vCPU-thread-only state.
    private int seenEpochPlain;
    private long pagesAtLastPointPlain;
    private long pagesAtLastRingFullPlain = -1;
    /** Ticker reading when the last throttle point's sleep ended. */
    private long lastPointEndNanosPlain;

    Vcpu(int index, Ticker ticker, Sleeper sleeper) {
        this.index = index;
        this.ticker = ticker;
        this.throttleSleep = new ThrottleSleep(this, ticker, sleeper);
    }

    /** The cpu index this vCPU was registered with. */
    public int index() {
        return index;
    }

    /**
     * Hot path: {@code count} pages were newly dirtied by this vCPU (first write since harvest).
     * Places a throttle point every quantum of pages when a limit is set. Counts of 0 or less are
     * ignored.
     */
    public void pagesDirtied(int count) {
        if (count <= 0) {
            return;
        }
        long total = pagesDirtiedOpaque + count;
        PAGES_DIRTIED.setOpaque(this, total);
        if ((int) LIMIT_EPOCH.getOpaque(this) != 0) {
            quantumPoint(total, count);
        }
    }

    /** Hot path: this vCPU's dirty ring just filled. A throttle point. */
    public void ringFull() {
        long total = pagesDirtiedOpaque;
        rememberRingFill(total);
        if ((int) LIMIT_EPOCH.getOpaque(this) != 0) {
            int epoch = followEpoch(total, 0);
            if (epoch != 0) {
                throttlePoint(total, epoch);
            }
        }
    }

    /**
     * Pages between quantum throttle points in effect for this vCPU: the limiter's quantum, made
     * finer for small limits so that points fall often enough for the sleeps to stay short and the
     * rate smooth within a period; 0 when no limit is set or only ring-full points throttle.
     */
    public int quantumPages() {
        return (int) QUANTUM_PAGES.getOpaque(this);
    }

    /** Pages reported with {@link #pagesDirtied} since registration. */
    public long pagesDirtiedTotal() {
        return (long) PAGES_DIRTIED.getOpaque(this);
    }

    private void quantumPoint(long total, int count) {
        int epoch = followEpoch(total, count);
        int quantum = (int) QUANTUM_PAGES.getOpaque(this);
        if (epoch != 0 && quantum > 0 && total - pagesAtLastPointPlain >= quantum) {
            throttlePoint(total, epoch);
        }
    }

    /**
     * The current limit epoch; on a new one, pages dirtied before it are not charged, the cycle
     * clock restarts, and sleep debt and credit start afresh. Under the guarantee the
     * {@code freshPages} of the call that sees the new limit are charged (they may have been dirtied
     * after it applied); otherwise the count starts after them. Acquire pairs with the release of the
     * epoch, so the sleep per page and the pacing rate read after it are not older than the limit.
     */
    private int followEpoch(long total, int freshPages) {
        int epoch = (int) LIMIT_EPOCH.getAcquire(this);
        if (epoch != seenEpochPlain) {
            seenEpochPlain = epoch;
            pagesAtLastPointPlain = guarded() ? total - freshPages : total;
            lastPointEndNanosPlain = ticker.nanoTime();
            guard.restart(lastPointEndNanosPlain);
            throttleSleep.startAfresh();
        }
        return epoch;
    }

    /**
     * Sleeps for the pages since the last point, and records the cycle for the demand curve. Under
     * the guarantee the pacing clock alone says how long: it knows exactly whether the vCPU is ahead
     * of its quota, where the controller's sleep is a forecast from the last period that can only add
     * slowdown on top. Otherwise the controller's sleep per page applies.
     */
    private void throttlePoint(long total, int epoch) {
        long pages = total - pagesAtLastPointPlain;
        pagesAtLastPointPlain = total;
        THROTTLE_POINTS.setOpaque(this, throttlePointsOpaque + 1);
        long now = ticker.nanoTime();
        long guardPicosPerPage = (long) GUARD_PICOS_PER_PAGE.getOpaque(this);
        long slept;
        if (guardPicosPerPage != 0) {
            slept = throttleSleep.atThrottlePoint(0, pacingWaitNanos(pages, guardPicosPerPage, now), epoch, pages, now);
            if (slept > 0) {
                guard.woke(now + slept);
            }
        } else {
            slept = throttleSleep.atThrottlePoint(controllerSleepNanos(pages), 0, epoch, pages, now);
        }
        long awake = now - lastPointEndNanosPlain;
        if (pages > 0 && awake >= 0) {
            demand.record(pages, awake, awake + slept);
        }
        lastPointEndNanosPlain = now + slept;
    }

    /** How long the pacing clock holds the vCPU for these pages; its burst is one point's pages. */
    private long pacingWaitNanos(long pages, long picosPerPage, long now) {
        long burst = Math.max(pages, (int) QUANTUM_PAGES.getOpaque(this));
        return guard.waitNanos(pages, burst, picosPerPage, now);
    }

    private double controllerSleepNanos(long pages) {
        return pages * (double) (long) SLEEP_PICOS_PER_PAGE.getOpaque(this) / 1000;
    }

    private void rememberRingFill(long total) {
        if (pagesAtLastRingFullPlain >= 0) {
            RING_FILL_PAGES.setOpaque(this, total - pagesAtLastRingFullPlain);
        }
        pagesAtLastRingFullPlain = total;
    }

    // Used by ThrottleSleep, on the vCPU thread.

    boolean limitUnchangedSince(int epoch) {
        return (int) LIMIT_EPOCH.getVolatile(this) == epoch;
    }

    void sleepingThread(Thread thread) {
        sleepingThreadVolatile = thread;
    }

    void addSleptNanos(long nanos) {
        SLEPT_NANOS.setOpaque(this, sleptNanosOpaque + nanos);
    }

    // Used by the limiter and the controller, under the control lock.

    void publishLimitEpoch(int epoch) {
        LIMIT_EPOCH.setVolatile(this, epoch);
        Thread sleeping = sleepingThreadVolatile;
        if (sleeping != null) {
            LockSupport.unpark(sleeping);
        }
    }

    void publishSleepNanosPerPage(double nanosPerPage) {
        double picos = Math.min(Math.max(nanosPerPage * 1000, 0), MAX_SLEEP_PICOS_PER_PAGE);
        SLEEP_PICOS_PER_PAGE.setOpaque(this, Math.round(picos));
    }

    void publishGuardPicosPerPage(long picosPerPage) {
        GUARD_PICOS_PER_PAGE.setOpaque(this, picosPerPage);
    }

    boolean guarded() {
        return (long) GUARD_PICOS_PER_PAGE.getOpaque(this) != 0;
    }

    void publishQuantumPages(int pages) {
        QUANTUM_PAGES.setOpaque(this, pages);
    }

    double sleepNanosPerPage() {
        return (long) SLEEP_PICOS_PER_PAGE.getOpaque(this) / 1000.0;
    }

    long ringFillPages() {
        return (long) RING_FILL_PAGES.getOpaque(this);
    }

    long throttlePoints() {
        return (long) THROTTLE_POINTS.getOpaque(this);
    }

    long sleptNanos() {
        return (long) SLEPT_NANOS.getOpaque(this);
    }
}
