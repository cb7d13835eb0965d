package io.dirtylimit.core.sim;

import java.util.List;

/**
 * What a simulation run produced: per vCPU and per period after the limits were set, the pages it
 * dirtied, the time it slept, its unthrottled demand and its target; and its worst 100 ms window.
 */
record RunResult(Scenario scenario, String policy, boolean guarded, List<VcpuRun> vcpus) {

    /**
     * One vCPU's run.
     *
     * @param index its cpu index
     * @param limitMBps its limit
     * @param pages pages dirtied in each period
     * @param sleptNanos time asleep in each period
     * @param demandMBps its average unthrottled rate in each period (0 once an ideal limiter would
     *     have finished its page budget)
     * @param targetMBps what an ideal limiter lets through in each period (see {@link IdealLimiter})
     * @param neededSleepNanos the sleep the limit needs in each period (see {@link IdealLimiter})
     * @param worstWindow the most pages dirtied in any {@link Metrics#WINDOW_NANOS} window after its
     *     limit applied, as a ratio to what the limit allows in that window
     */
    record VcpuRun(int index, double limitMBps, long[] pages, long[] sleptNanos, double[] demandMBps,
            double[] targetMBps, double[] neededSleepNanos, double worstWindow) {

        /** The rate in period {@code k}, MB/s. */
        double rateMBps(int k, long periodNanos) {
            return pages[k] * 4096.0 / (1 << 20) / (periodNanos / 1e9);
        }

        /** What the vCPU should reach in period {@code k}. */
        double targetMBps(int k) {
            return targetMBps[k];
        }
    }
}
