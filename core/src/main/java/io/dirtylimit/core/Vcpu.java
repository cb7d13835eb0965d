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
 * <p>{@link #pagesDirtied} and {@link #ringFull} are meant for the vCPU's own thread, but stay correct
 * when several threads feed one vCPU at once (a guest run by a pool of threads, a thread identity
 * gone wrong): every page is counted exactly once (an atomic add), each throttle point is taken by
 * one thread for the pages since the last one (a compare-and-set, so a point never charges a page
 * twice or a negative count), and the pacing clock advances atomically. What two writers share only
 * approximately is the controller's demand histogram and its sleep debt and credit (bounded either
 * way); the guarantee does not rely on them.
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
    private static final VarHandle CREDIT_PAGES;
    private static final VarHandle RING_FILL_PAGES;
    private static final VarHandle THROTTLE_POINTS;
    private static final VarHandle SLEPT_NANOS;
    private static final VarHandle SEEN_EPOCH;
    private static final VarHandle PAGES_AT_LAST_POINT;
    private static final VarHandle PAGES_AT_LAST_RING_FULL;
    private static final VarHandle LAST_POINT_END_NANOS;
    private static final VarHandle SLEEPING_THREAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PAGES_DIRTIED = lookup.findVarHandle(Vcpu.class, "pagesDirtiedOpaque", long.class);
            LIMIT_EPOCH = lookup.findVarHandle(Vcpu.class, "limitEpochVolatile", int.class);
            SLEEP_PICOS_PER_PAGE = lookup.findVarHandle(Vcpu.class, "sleepPicosPerPageOpaque", long.class);
            GUARD_PICOS_PER_PAGE = lookup.findVarHandle(Vcpu.class, "guardPicosPerPageOpaque", long.class);
            QUANTUM_PAGES = lookup.findVarHandle(Vcpu.class, "quantumPagesOpaque", int.class);
            CREDIT_PAGES = lookup.findVarHandle(Vcpu.class, "creditPagesOpaque", int.class);
            RING_FILL_PAGES = lookup.findVarHandle(Vcpu.class, "ringFillPagesOpaque", long.class);
            THROTTLE_POINTS = lookup.findVarHandle(Vcpu.class, "throttlePointsOpaque", long.class);
            SLEPT_NANOS = lookup.findVarHandle(Vcpu.class, "sleptNanosOpaque", long.class);
            SEEN_EPOCH = lookup.findVarHandle(Vcpu.class, "seenEpochOpaque", int.class);
            PAGES_AT_LAST_POINT = lookup.findVarHandle(Vcpu.class, "pagesAtLastPointOpaque", long.class);
            PAGES_AT_LAST_RING_FULL = lookup.findVarHandle(Vcpu.class, "pagesAtLastRingFullOpaque", long.class);
            LAST_POINT_END_NANOS = lookup.findVarHandle(Vcpu.class, "lastPointEndNanosOpaque", long.class);
            SLEEPING_THREAD = lookup.findVarHandle(Vcpu.class, "sleepingThreadVolatile", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Longest sleep per page the controller may publish (1 s: about 4 KiB/s). */
    static final long MAX_SLEEP_PICOS_PER_PAGE = 1_000_000_000_000L;

    private final int index;
    private final Ticker ticker;
    private final ThrottleSleep throttleSleep;
    /** The pacing clock of the limit guarantee. */
    private final PacingGuard guard = new PacingGuard();
    /** Cycles by unthrottled speed, for the policies' demand curve; written by the vCPU thread. */
    final DemandHistogram demand = new DemandHistogram();
    /** Limit, policy and measurement state; guarded by the limiter's control lock. */
    final VcpuControl control = new VcpuControl();

    // Shared fields. Writers: the threads feeding the vCPU add pages, points and sleep with atomic
    // adds and take points with compare-and-set; the limiter, under its control lock, publishes the
    // epoch with setVolatile and the sleep per page and quantum with setOpaque. Readers use getOpaque,
    // or stronger where noted.

    /** Pages reported since registration; atomic adds. */
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
    /**
     * Credit the pacing clock keeps at least, in pages (a unit that shares its threads with others:
     * see {@link DirtyLimiter.Builder#sharedThreadCredit}); 0: one throttle point's pages.
     */
    private int creditPagesOpaque;
    /** Pages dirtied between the last two ring-full exits; 0 until two were seen. */
    private long ringFillPagesOpaque;
    private long throttlePointsOpaque;
    private long sleptNanosOpaque;
    /**
     * A thread asleep at a throttle point, so that a limit change can unpark it (with several
     * feeding threads, the last to fall asleep; the others see the change within one sleep chunk).
     */
    private volatile Thread sleepingThreadVolatile;

    // The feeding threads' state: which limit epoch they follow, where the last point was.
    /** The limit epoch the points follow; the thread that moves it on restarts the count. */
    private int seenEpochOpaque;
    /** The page count at the last throttle point; advanced by compare-and-set. */
    private long pagesAtLastPointOpaque;
    private long pagesAtLastRingFullOpaque = -1;
    /** Ticker reading when the last throttle point's sleep ended (for the demand histogram). */
    private long lastPointEndNanosOpaque;

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
        long total = (long) PAGES_DIRTIED.getAndAdd(this, (long) count) + count;
        if ((int) LIMIT_EPOCH.getOpaque(this) != 0) {
            quantumPoint(total, count);
        }
    }

    /** Hot path: this vCPU's dirty ring just filled. A throttle point. */
    public void ringFull() {
        long total = (long) PAGES_DIRTIED.getVolatile(this);
        rememberRingFill(total);
        if ((int) LIMIT_EPOCH.getOpaque(this) != 0) {
            int epoch = followEpoch(total, 0);
            if (epoch != 0) {
                throttlePoint(takePagesSinceLastPoint(total), epoch);
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
        if (epoch == 0 || quantum <= 0) {
            return;
        }
        long last = (long) PAGES_AT_LAST_POINT.getOpaque(this);
        if (total - last >= quantum && PAGES_AT_LAST_POINT.compareAndSet(this, last, total)) {
            throttlePoint(total - last, epoch);
        }
    }

    /**
     * A ring-full point takes every page since the last point, up to {@code total}; 0 when another
     * thread's point already took them.
     */
    private long takePagesSinceLastPoint(long total) {
        while (true) {
            long last = (long) PAGES_AT_LAST_POINT.getOpaque(this);
            if (total <= last) {
                return 0;
            }
            if (PAGES_AT_LAST_POINT.compareAndSet(this, last, total)) {
                return total - last;
            }
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
        int seen = (int) SEEN_EPOCH.getOpaque(this);
        if (epoch != seen && SEEN_EPOCH.compareAndSet(this, seen, epoch)) {
            PAGES_AT_LAST_POINT.setVolatile(this, guarded() ? total - freshPages : total);
            long now = ticker.nanoTime();
            LAST_POINT_END_NANOS.setOpaque(this, now);
            guard.restart(now);
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
    private void throttlePoint(long pages, int epoch) {
        THROTTLE_POINTS.getAndAdd(this, 1L);
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
        long awake = now - (long) LAST_POINT_END_NANOS.getOpaque(this);
        if (pages > 0 && awake >= 0) {
            demand.record(pages, awake, awake + slept);
        }
        LAST_POINT_END_NANOS.setOpaque(this, now + slept);
    }

    /**
     * How long the pacing clock holds the vCPU for these pages; its burst is one point's pages, or
     * the shared-thread credit if more.
     */
    private long pacingWaitNanos(long pages, long picosPerPage, long now) {
        long burst = Math.max(Math.max(pages, (int) QUANTUM_PAGES.getOpaque(this)), (int) CREDIT_PAGES.getOpaque(this));
        return guard.waitNanos(pages, burst, picosPerPage, now);
    }

    private double controllerSleepNanos(long pages) {
        return pages * (double) (long) SLEEP_PICOS_PER_PAGE.getOpaque(this) / 1000;
    }

    private void rememberRingFill(long total) {
        long last = (long) PAGES_AT_LAST_RING_FULL.getAndSet(this, total);
        if (last >= 0 && total > last) {
            RING_FILL_PAGES.setOpaque(this, total - last);
        }
    }

    // Used by ThrottleSleep, on a feeding thread.

    boolean limitUnchangedSince(int epoch) {
        return (int) LIMIT_EPOCH.getVolatile(this) == epoch;
    }

    void fallingAsleep(Thread thread) {
        sleepingThreadVolatile = thread;
    }

    /** Forgets the sleeping thread unless another one has fallen asleep since. */
    void wokeUp(Thread thread) {
        SLEEPING_THREAD.compareAndSet(this, thread, null);
    }

    void addSleptNanos(long nanos) {
        SLEPT_NANOS.getAndAdd(this, nanos);
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

    void publishCreditPages(int pages) {
        CREDIT_PAGES.setOpaque(this, pages);
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
