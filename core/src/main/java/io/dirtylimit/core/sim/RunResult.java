package io.dirtylimit.core.sim;

import java.util.List;

/**
 * What a simulation run produced: per vCPU and per period after the limits were set, the pages it
 * dirtied, the time it slept and its unthrottled demand.
 */
record RunResult(Scenario scenario, String policy, List<VcpuRun> vcpus) {

    /**
     * One vCPU's run.
     *
     * @param index its cpu index
     * @param limitMBps its limit
     * @param pages pages dirtied in each period
     * @param sleptNanos time asleep in each period
     * @param demandMBps its average unthrottled rate in each period
     */
    record VcpuRun(int index, double limitMBps, long[] pages, long[] sleptNanos, double[] demandMBps) {

        /** The rate in period {@code k}, MB/s. */
        double rateMBps(int k, long periodNanos) {
            return pages[k] * 4096.0 / (1 << 20) / (periodNanos / 1e9);
        }

        /** What the vCPU should reach in period {@code k}: its limit, or its demand if that is lower. */
        double targetMBps(int k) {
            return Math.min(limitMBps, demandMBps[k]);
        }
    }
}
