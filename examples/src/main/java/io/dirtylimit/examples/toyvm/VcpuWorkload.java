package io.dirtylimit.examples.toyvm;

/**
 * What one vCPU runs: the workload, its unthrottled dirty-rate target (infinite = flat out),
 * and its guest-physical region [base, base + size). The random workload writes the first
 * {@code workingSet} bytes of its region.
 */
record VcpuWorkload(int vcpu, WorkloadKind kind, double rateMbps, long base, long size, long workingSet, long seed) {

    static final double FLAT_OUT = Double.POSITIVE_INFINITY;

    boolean flatOut() {
        return Double.isInfinite(rateMbps);
    }

    String describe() {
        if (!kind.dirtiesMemory()) {
            return kind.label();
        }
        String rate = flatOut() ? "max" : Units.formatRate(rateMbps) + " MB/s";
        String region = String.format("[0x%x..0x%x)", base, base + size);
        String wss = kind == WorkloadKind.RANDOM ? " wss " + Units.formatSize(workingSet) : "";
        return kind.label() + " " + rate + " " + region + wss;
    }
}
