package io.dirtylimit.core;

/**
 * JFR events of the core, behind a guard: a runtime without the jdk.jfr module (a jlinked image, say)
 * must still run the limiter, so the event classes are only touched when the module is there.
 */
final class Trace {
    private static final boolean JFR = ModuleLayer.boot().findModule("jdk.jfr").isPresent();
    /** The policy name a paced vCPU's ThrottleAdjust events carry. */
    static final String PACING = "pacing";

    private Trace() {}

    static void limitSet(int cpuIndex, double limitMBps) {
        if (JFR) {
            JfrEvents.limitSet(cpuIndex, limitMBps);
        }
    }

    static void limitCancelled(int cpuIndex) {
        if (JFR) {
            JfrEvents.limitCancelled(cpuIndex);
        }
    }

    static void limiterActive(DirtyLimiter limiter) {
        if (JFR) {
            JfrEvents.limiterActive(limiter);
        }
    }

    static void limiterInactive(DirtyLimiter limiter) {
        if (JFR) {
            JfrEvents.limiterInactive(limiter);
        }
    }

    static void adjusted(ThrottleInput in, String policy, double newSleepNanos) {
        if (JFR) {
            JfrEvents.adjusted(in, policy, newSleepNanos);
        }
    }

    static void paced(int cpuIndex, double quotaMBps, double measuredMBps, double oldSleepNanos, double newSleepNanos,
            double pagesPerPoint) {
        if (JFR) {
            JfrEvents.paced(cpuIndex, quotaMBps, measuredMBps, oldSleepNanos, newSleepNanos, pagesPerPoint);
        }
    }

    /** The started sleep event, or null when the sleep is too short to record or recording is off. */
    static Object beginSleep(long dueNanos) {
        if (JFR && dueNanos >= ThrottleSleep.EVENT_THRESHOLD_NANOS) {
            return JfrEvents.beginSleep();
        }
        return null;
    }

    static void endSleep(Object event, int cpuIndex, long dueNanos, long sleptNanos, long pages) {
        if (event != null) {
            JfrEvents.endSleep(event, cpuIndex, dueNanos, sleptNanos, pages);
        }
    }
}
