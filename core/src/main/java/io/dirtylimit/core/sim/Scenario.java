package io.dirtylimit.core.sim;

import java.util.List;

/**
 * One simulated situation: vCPUs with unthrottled rate profiles, limits and ring sizes, the control
 * period, and how long to run. The vCPUs run unthrottled for {@code warmupPeriods}; then every
 * limit is set at once and the run lasts {@code periods} control periods.
 *
 * @param name the name on the command line
 * @param description one line for listings
 * @param periodNanos the control period
 * @param warmupPeriods periods run before the limits are set
 * @param periods periods measured after the limits are set
 * @param reportBatchPages the most pages a simulated vCPU reports in one {@code pagesDirtied} call
 * @param vcpus the simulated vCPUs, cpu index = position
 */
record Scenario(
        String name,
        String description,
        long periodNanos,
        int warmupPeriods,
        int periods,
        int reportBatchPages,
        List<VcpuSpec> vcpus) {

    /**
     * One simulated vCPU.
     *
     * @param profile its unthrottled rate
     * @param limitMBps the limit set on it
     * @param ringPages its dirty ring, pages: a ring-full exit every that many pages
     */
    record VcpuSpec(RateProfile profile, double limitMBps, int ringPages) {}

    long limitSetNanos() {
        return warmupPeriods * periodNanos;
    }

    long endNanos() {
        return limitSetNanos() + periods * periodNanos;
    }
}
