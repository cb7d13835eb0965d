package io.dirtylimit.agent.runtime;

import io.dirtylimit.core.DirtyLimitInfo;
import io.dirtylimit.core.GuardMode;
import io.dirtylimit.core.MeasuringListener;
import java.time.Duration;
import java.util.List;

/**
 * The throttle core as the agent uses it (a seam for tests); {@link CoreThrottle} is the real one.
 * Only the limit service (control.LimitService) sets and cancels limits through it.
 */
public interface Throttle extends AutoCloseable {
    /**
     * Registers vCPU {@code cpu} (idempotent).
     *
     * @param cpu the index
     * @return its hot path
     */
    VcpuPort register(int cpu);

    /**
     * Limits one registered vCPU; 0 cancels.
     *
     * @param cpu the index
     * @param mbps the limit, MB/s
     */
    void setLimit(int cpu, double mbps);

    /**
     * Pages registered vCPU {@code cpu} has dirtied so far.
     *
     * @param cpu the index
     * @return the count, 0 if unknown
     */
    default long pagesDirtied(int cpu) {
        return 0;
    }

    /**
     * QEMU's query-vcpu-dirty-limit: one row per registered vCPU.
     *
     * @return the rows, by index
     */
    default List<DirtyLimitInfo> query() {
        return List.of();
    }

    /**
     * Tells {@code listener} now and on every change whether page counts are needed (some limit
     * set, a calc-dirty-rate running). This default, for tests, always needs them.
     *
     * @param listener the listener
     */
    default void onMeasuringChange(MeasuringListener listener) {
        listener.measuringChanged(true);
    }

    /** @param period the control period */
    void setPeriod(Duration period);

    /** @return the control period in force: a new limit is applied within one period */
    Duration period();

    /** @param policy the control policy's name */
    void setPolicy(String policy);

    /** @param pages pages between quantum throttle points; 0: ring-full points only */
    void setQuantum(int pages);

    /** @param mode the limit guarantee: auto (on but for the QEMU baselines), on or off */
    void setGuard(GuardMode mode);

    /** @return period, policy and quantum in force, for reports */
    String describe();

    /** Cancels all limits, wakes sleeping vCPUs, stops the controller. */
    @Override
    void close();
}
