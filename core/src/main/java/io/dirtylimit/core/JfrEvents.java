package io.dirtylimit.core;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The JFR events; only loaded through {@link Trace} when jdk.jfr is present. */
final class JfrEvents {
    /** Limiters with at least one limit set: the periodic event reports their vCPUs. */
    private static final Set<DirtyLimiter> ACTIVE_LIMITERS = new CopyOnWriteArraySet<>();
    /** Whether the periodic hook is registered (guarded by JfrEvents.class). */
    private static boolean periodicRegistered;

    private JfrEvents() {}

    /**
     * The periodic hook is registered once per JVM, when the first limit is set (not at class
     * load: the emulator's start-up should not pay for JFR's metadata), and emits nothing while
     * no limiter is active.
     */
    static void limiterActive(DirtyLimiter limiter) {
        ACTIVE_LIMITERS.add(limiter);
        synchronized (JfrEvents.class) {
            if (!periodicRegistered) {
                FlightRecorder.addPeriodicEvent(VcpuDirtyLimit.class, JfrEvents::emitVcpuStates);
                periodicRegistered = true;
            }
        }
    }

    static void limiterInactive(DirtyLimiter limiter) {
        ACTIVE_LIMITERS.remove(limiter);
    }

    private static void emitVcpuStates() {
        for (DirtyLimiter limiter : ACTIVE_LIMITERS) {
            for (DirtyLimitInfo row : limiter.queryVcpuDirtyLimit()) {
                VcpuDirtyLimit event = new VcpuDirtyLimit();
                event.cpuIndex = row.cpuIndex();
                event.enabled = row.enabled();
                event.limitRate = row.limitRate();
                event.currentRate = row.currentRate();
                event.sleepPerPoint = row.sleepNanosPerThrottlePoint();
                event.pagesPerPoint = row.pagesPerThrottlePoint();
                event.throttlePoints = row.throttlePoints();
                event.slept = row.sleptNanos();
                event.commit();
            }
        }
    }

    static void limitSet(int cpuIndex, double limitMBps) {
        LimitSet event = new LimitSet();
        if (event.shouldCommit()) {
            event.cpuIndex = cpuIndex;
            event.limitRate = limitMBps;
            event.commit();
        }
    }

    static void limitCancelled(int cpuIndex) {
        LimitCancelled event = new LimitCancelled();
        if (event.shouldCommit()) {
            event.cpuIndex = cpuIndex;
            event.commit();
        }
    }

    static void adjusted(ThrottleInput in, String policy, double newSleepNanos) {
        ThrottleAdjust event = new ThrottleAdjust();
        if (event.shouldCommit()) {
            event.cpuIndex = in.cpuIndex();
            event.policy = policy;
            event.quota = in.quotaMBps();
            event.measuredRate = in.measuredMBps();
            event.oldSleep = Math.round(in.sleepNanosPerPoint());
            event.newSleep = Math.round(newSleepNanos);
            event.pagesPerPoint = Math.round(in.pagesPerPoint());
            event.commit();
        }
    }

    /** A paced vCPU's period: the policy is "pacing", the sleeps are the mean it took per point before and now. */
    static void paced(int cpuIndex, double quotaMBps, double measuredMBps, double oldSleepNanos, double newSleepNanos,
            double pagesPerPoint) {
        ThrottleAdjust event = new ThrottleAdjust();
        if (event.shouldCommit()) {
            event.cpuIndex = cpuIndex;
            event.policy = Trace.PACING;
            event.quota = quotaMBps;
            event.measuredRate = measuredMBps;
            event.oldSleep = Math.round(oldSleepNanos);
            event.newSleep = Math.round(newSleepNanos);
            event.pagesPerPoint = Math.round(pagesPerPoint);
            event.commit();
        }
    }

    static Object beginSleep() {
        ThrottleSleepEvent event = new ThrottleSleepEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.begin();
        return event;
    }

    static void endSleep(Object started, int cpuIndex, long dueNanos, long sleptNanos, long pages) {
        ThrottleSleepEvent event = (ThrottleSleepEvent) started;
        event.end();
        if (event.shouldCommit()) {
            event.cpuIndex = cpuIndex;
            event.requested = dueNanos;
            event.slept = sleptNanos;
            event.pages = pages;
            event.commit();
        }
    }

    @Name("io.dirtylimit.LimitSet")
    @Label("Dirty Limit Set")
    @Category("dirtylimit")
    @Description("A vCPU's dirty-rate limit was set or changed")
    @StackTrace(false)
    static final class LimitSet extends Event {
        @Label("CPU Index")
        int cpuIndex;

        @Label("Limit (MB/s)")
        double limitRate;
    }

    @Name("io.dirtylimit.LimitCancelled")
    @Label("Dirty Limit Cancelled")
    @Category("dirtylimit")
    @Description("A vCPU's dirty-rate limit was cancelled")
    @StackTrace(false)
    static final class LimitCancelled extends Event {
        @Label("CPU Index")
        int cpuIndex;
    }

    @Name("io.dirtylimit.ThrottleAdjust")
    @Label("Throttle Adjustment")
    @Category("dirtylimit")
    @Description("The controller's decision for one limited vCPU at the end of a period")
    @StackTrace(false)
    static final class ThrottleAdjust extends Event {
        @Label("CPU Index")
        int cpuIndex;

        @Label("Policy")
        String policy;

        @Label("Quota (MB/s)")
        double quota;

        @Label("Measured Rate (MB/s)")
        double measuredRate;

        @Label("Old Sleep per Throttle Point")
        @Timespan(Timespan.NANOSECONDS)
        long oldSleep;

        @Label("New Sleep per Throttle Point")
        @Timespan(Timespan.NANOSECONDS)
        long newSleep;

        @Label("Pages per Throttle Point")
        long pagesPerPoint;
    }

    @Name("io.dirtylimit.ThrottleSleep")
    @Label("Throttle Sleep")
    @Category("dirtylimit")
    @Description("A vCPU slept at a throttle point (only sleeps of 1 ms or more are recorded)")
    static final class ThrottleSleepEvent extends Event {
        @Label("CPU Index")
        int cpuIndex;

        @Label("Requested")
        @Timespan(Timespan.NANOSECONDS)
        long requested;

        @Label("Slept")
        @Timespan(Timespan.NANOSECONDS)
        long slept;

        @Label("Pages Charged")
        long pages;
    }

    @Name("io.dirtylimit.VcpuDirtyLimit")
    @Label("vCPU Dirty Limit")
    @Category("dirtylimit")
    @Description("Periodic snapshot of every vCPU of a limiter while any of its vCPUs is limited")
    @Period("1 s")
    @StackTrace(false)
    static final class VcpuDirtyLimit extends Event {
        @Label("CPU Index")
        int cpuIndex;

        @Label("Limited")
        boolean enabled;

        @Label("Limit (MB/s)")
        @Description("0 when not limited")
        double limitRate;

        @Label("Current Rate (MB/s)")
        @Description("Dirty rate measured over the last control period")
        double currentRate;

        @Label("Sleep per Throttle Point")
        @Timespan(Timespan.NANOSECONDS)
        long sleepPerPoint;

        @Label("Pages per Throttle Point")
        long pagesPerPoint;

        @Label("Throttle Points Hit")
        long throttlePoints;

        @Label("Total Slept")
        @Timespan(Timespan.NANOSECONDS)
        long slept;
    }
}
