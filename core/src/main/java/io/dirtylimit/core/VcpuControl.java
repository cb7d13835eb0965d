package io.dirtylimit.core;

/** A vCPU's limit, policy state and rate measurement. Guarded by the limiter's control lock. */
final class VcpuControl {
    /** The limit, MB/s; 0 when none. */
    double limitMBps;
    /** The policy and this vCPU's state for it; null when no limit is set. */
    PolicyBinding<?> policy;
    /** The policy failed and this vCPU runs the default policy instead, until its limit is set anew. */
    boolean fellBack;

    /** Page counter and ticker reading at the last sample. */
    long lastSamplePages;
    long lastSampleNanos;
    /** The rate measured over the last period, MB/s; 0 while the controller is stopped. */
    double currentRateMBps;
    /** Throttle points and time slept at the last sample, for a paced vCPU's sleep per point. */
    long lastSamplePoints;
    long lastSampleSleptNanos;
    /** Under the limit guarantee: the mean sleep per throttle point over the last period, ns. */
    double pacedSleepNanosPerPoint;
    /** Sum of the pages counted by every sample since registration (they must add up). */
    long sampledPages;
    /** The vCPU's demand histogram at the last sample, and a buffer for the next one. */
    long[] lastDemand = new long[DemandHistogram.size()];
    long[] nextDemand = new long[DemandHistogram.size()];

    boolean limited() {
        return limitMBps > 0;
    }
}
