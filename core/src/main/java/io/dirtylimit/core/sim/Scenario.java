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
 * @param limitAll the limit is set for all vCPUs at once (QEMU's set-vcpu-dirty-limit without a cpu
 *     index), so that vCPUs registering later take it up; every vCPU must then have the same limit
 */
record Scenario(
        String name,
        String description,
        long periodNanos,
        int warmupPeriods,
        int periods,
        int reportBatchPages,
        List<VcpuSpec> vcpus,
        boolean limitAll) {

    Scenario {
        for (VcpuSpec vcpu : vcpus) {
            if (vcpu.registerAtNanos() > 0 && !limitAll) {
                throw new IllegalArgumentException("a vCPU that registers late needs a limit for all vCPUs");
            }
            if (limitAll && vcpu.limitMBps() != vcpus.get(0).limitMBps()) {
                throw new IllegalArgumentException("a limit for all vCPUs is one limit");
            }
        }
    }

    /** Every vCPU limited on its own, registered from the start. */
    Scenario(String name, String description, long periodNanos, int warmupPeriods, int periods,
            int reportBatchPages, List<VcpuSpec> vcpus) {
        this(name, description, periodNanos, warmupPeriods, periods, reportBatchPages, vcpus, false);
    }

    /**
     * One simulated vCPU.
     *
     * @param profile its unthrottled rate
     * @param limitMBps the limit set on it
     * @param ringPages its dirty ring, pages: a ring-full exit every that many pages
     * @param registerAtNanos when it registers (its thread appears); before that it dirties nothing
     * @param pageBudget pages it dirties in all, as fast as it may, before it goes idle; 0: no end
     */
    record VcpuSpec(RateProfile profile, double limitMBps, int ringPages, long registerAtNanos, long pageBudget) {

        /** Registered from the start, dirtying without end. */
        VcpuSpec(RateProfile profile, double limitMBps, int ringPages) {
            this(profile, limitMBps, ringPages, 0, 0);
        }

        /** When its limit applies: when the limits are set, or when it registers if later. */
        long limitAppliesAtNanos(Scenario scenario) {
            return Math.max(scenario.limitSetNanos(), registerAtNanos);
        }
    }

    long limitSetNanos() {
        return warmupPeriods * periodNanos;
    }

    long endNanos() {
        return limitSetNanos() + periods * periodNanos;
    }
}
