package io.dirtylimit.core;

/**
 * QEMU's merged dirty-limit controller (system/dirtylimit.c since QEMU 7.1), reproduced step for
 * step as a baseline: {@code dirtylimit_adjust_throttle}, {@code dirtylimit_done},
 * {@code dirtylimit_need_linear_adjustment}, {@code dirtylimit_dirty_ring_full_time} and
 * {@code dirtylimit_set_throttle}, with QEMU's constants and whole-number arithmetic.
 *
 * <ul>
 *   <li>Rates are whole MB/s as in QEMU: the measured rate is truncated, the quota rounded (at
 *       least 1).
 *   <li>The "ring" is one throttle point's pages. Run with quantum 0 (ring-full points only) for
 *       QEMU's behaviour.
 *   <li>The highest rate ever seen is a static in QEMU (one per VM, never reset); here it is one per
 *       policy instance, i.e. per limiter, shared by all its vCPUs.
 *   <li>Not reproduced: QEMU keeps {@code throttle_us_per_full} across cancel and re-set; our core
 *       restarts every new limit from no sleep.
 * </ul>
 */
final class QemuPolicy implements ThrottlePolicy<QemuPolicy.VcpuThrottle> {
    /** DIRTYLIMIT_TOLERANCE_RANGE, MB/s: no adjustment within this band. */
    static final long TOLERANCE_RANGE = 25;
    /** DIRTYLIMIT_LINEAR_ADJUSTMENT_PCT: errors above this share of max(quota, current) are "large". */
    static final long LINEAR_ADJUSTMENT_PCT = 50;
    /** DIRTYLIMIT_THROTTLE_PCT_MAX: the sleep per ring is at most this many ring-fill times. */
    static final long THROTTLE_PCT_MAX = 99;

    /** {@code max_dirtyrate} of dirtylimit_dirty_ring_full_time: the highest rate seen, MB/s. */
    private long maxDirtyRate;

    /** QEMU's {@code cpu->throttle_us_per_full}. */
    static final class VcpuThrottle {
        long throttleUsPerFull;
    }

    @Override
    public VcpuThrottle newState() {
        return new VcpuThrottle();
    }

    @Override
    public double nextSleepNanos(ThrottleInput in, VcpuThrottle cpu) {
        long quota = Math.max(1, Math.round(in.quotaMBps()));
        long current = (long) in.measuredMBps();
        if (!done(quota, current)) {
            setThrottle(cpu, quota, current, ringMiB(in));
        }
        return cpu.throttleUsPerFull * 1000.0;
    }

    /** dirtylimit_done: within the tolerance band, leave the throttle alone. */
    static boolean done(long quota, long current) {
        return Math.max(quota, current) - Math.min(quota, current) <= TOLERANCE_RANGE;
    }

    /** dirtylimit_need_linear_adjustment: is the error more than half of max(quota, current)? */
    static boolean needLinearAdjustment(long quota, long current) {
        long max = Math.max(quota, current);
        long min = Math.min(quota, current);
        return (max - min) * 100 / max > LINEAR_ADJUSTMENT_PCT;
    }

    /** dirtylimit_dirty_ring_full_time: microseconds to fill the ring at the highest rate ever seen. */
    long ringFullTimeUs(long current, double ringMiB) {
        if (maxDirtyRate < current) {
            maxDirtyRate = current;
        }
        // QEMU divides whole numbers; for the whole-MiB rings KVM has, the truncated double is equal.
        return (long) (ringMiB * 1_000_000 / maxDirtyRate);
    }

    /** dirtylimit_set_throttle. */
    void setThrottle(VcpuThrottle cpu, long quota, long current, double ringMiB) {
        if (current == 0) {
            cpu.throttleUsPerFull = 0;
            return;
        }
        long ringFullTimeUs = ringFullTimeUs(current, ringMiB);
        if (needLinearAdjustment(quota, current)) {
            if (quota < current) {
                long sleepPct = (current - quota) * 100 / current;
                cpu.throttleUsPerFull += linearStepUs(ringFullTimeUs, sleepPct);
            } else {
                long sleepPct = (quota - current) * 100 / quota;
                cpu.throttleUsPerFull -= linearStepUs(ringFullTimeUs, sleepPct);
            }
        } else if (quota < current) {
            cpu.throttleUsPerFull += ringFullTimeUs / 10;
        } else {
            cpu.throttleUsPerFull -= ringFullTimeUs / 10;
        }
        cpu.throttleUsPerFull = Math.min(cpu.throttleUsPerFull, ringFullTimeUs * THROTTLE_PCT_MAX);
        cpu.throttleUsPerFull = Math.max(cpu.throttleUsPerFull, 0);
    }

    /** {@code throttle_us = ring_full_time_us * sleep_pct / (double)(100 - sleep_pct)}, stored in a uint64. */
    static long linearStepUs(long ringFullTimeUs, long sleepPct) {
        return (long) (ringFullTimeUs * sleepPct / (double) (100 - sleepPct));
    }

    private static double ringMiB(ThrottleInput in) {
        return in.pagesPerPoint() * in.pageSize() / Units.BYTES_PER_MB;
    }
}
