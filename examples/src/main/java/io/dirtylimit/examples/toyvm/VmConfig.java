package io.dirtylimit.examples.toyvm;

import java.util.List;

/** The toy VM's configuration, as parsed and checked from the command line. */
record VmConfig(long memBytes, int ringSize, List<VcpuWorkload> workloads, StatsMode stats, long seconds,
        MigrationParams migrate, long migrateAfterSeconds) {

    enum StatsMode { CSV, TABLE, NONE }

    static final int NO_RING = 0;

    int vcpus() {
        return workloads.size();
    }

    boolean ringless() {
        return ringSize == NO_RING;
    }
}
