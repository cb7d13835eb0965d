package io.dirtylimit.core;

/**
 * One row of {@link DirtyLimiter#queryVcpuDirtyLimit()}, QEMU's DirtyLimitInfo and more.
 *
 * @param cpuIndex the vCPU's index
 * @param enabled whether a limit is set
 * @param limitRate the limit in MB/s (0 when not enabled)
 * @param currentRate the dirty rate measured over the last period, MB/s
 * @param sleepNanosPerThrottlePoint the current sleep per throttle point, ns
 * @param pagesPerThrottlePoint pages dirtied between throttle points, as used by the policy
 * @param throttlePoints throttle points hit since registration
 * @param sleptNanos total time slept at throttle points since registration, ns
 */
public record DirtyLimitInfo(
        int cpuIndex,
        boolean enabled,
        double limitRate,
        double currentRate,
        long sleepNanosPerThrottlePoint,
        long pagesPerThrottlePoint,
        long throttlePoints,
        long sleptNanos) {}
