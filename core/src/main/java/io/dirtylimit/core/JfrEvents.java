package io.dirtylimit.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The JFR events; only loaded through {@link Trace} when jdk.jfr is present. */
final class JfrEvents {
    private JfrEvents() {}

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
}
