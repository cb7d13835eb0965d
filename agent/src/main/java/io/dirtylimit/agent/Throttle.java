package io.dirtylimit.agent;

import io.dirtylimit.core.MeasuringListener;
import java.time.Duration;

/** The throttle core as the agent uses it (a seam for tests); {@link CoreThrottle} is the real one. */
interface Throttle extends AutoCloseable {
    /** Registers vCPU {@code cpu} (idempotent). */
    VcpuPort register(int cpu);

    /** Limits one registered vCPU; 0 cancels. */
    void setLimit(int cpu, double mbps);

    /** Limits every vCPU, including those registered later; 0 cancels. */
    void setAllLimit(double mbps);

    /** Pages registered vCPU {@code cpu} has dirtied so far (0 if unknown). */
    default long pagesDirtied(int cpu) {
        return 0;
    }

    /**
     * Tells {@code listener} now and on every change whether page counts are needed (some limit
     * set, a calc-dirty-rate running). This default, for tests, always needs them.
     */
    default void onMeasuringChange(MeasuringListener listener) {
        listener.measuringChanged(true);
    }

    /** Cancels every limit. */
    void cancelAll();

    void setPeriod(Duration period);

    /** The control period in force: a new limit is applied within one period. */
    Duration period();

    void setPolicy(String policy);

    void setQuantum(int pages);

    /** Period, policy and quantum in force, for reports. */
    String describe();

    /** Cancels all limits, wakes sleeping vCPUs, stops the controller. */
    @Override
    void close();
}
