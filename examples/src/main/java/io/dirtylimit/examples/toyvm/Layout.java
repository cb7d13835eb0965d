package io.dirtylimit.examples.toyvm;

import java.util.ArrayList;
import java.util.List;

/** Places the writers: guest RAM split evenly between the vCPUs that write memory. */
final class Layout {
    static final long WHOLE_REGION = -1;

    private Layout() {}

    /**
     * One workload per vCPU. {@code wss} is the random workload's working set, or
     * {@link #WHOLE_REGION}.
     */
    static List<VcpuWorkload> plan(long mem, WorkloadKind[] kinds, double[] rates, long wss, long seed) throws UsageException {
        int writers = 0;
        int minPages = 0;
        boolean anyRandom = false;
        for (WorkloadKind kind : kinds) {
            if (kind.dirtiesMemory()) {
                writers++;
                minPages = Math.max(minPages, kind.minPages());
            }
            anyRandom |= kind == WorkloadKind.RANDOM;
        }
        long region = writers == 0 ? 0 : mem / writers / GuestMemory.PAGE_SIZE * GuestMemory.PAGE_SIZE;
        if (writers > 0 && region < (long) minPages * GuestMemory.PAGE_SIZE) {
            throw new UsageException("--mem: " + Units.formatSize(mem) + " is too small for " + writers
                    + " writer vCPU(s): each needs at least " + Units.formatSize((long) minPages * GuestMemory.PAGE_SIZE));
        }
        if (wss != WHOLE_REGION && !anyRandom) {
            throw new UsageException("--wss: no vCPU runs the random workload");
        }
        if (wss != WHOLE_REGION && wss > region) {
            throw new UsageException("--wss: " + Units.formatSize(wss) + " exceeds the " + Units.formatSize(region)
                    + " region of each writer vCPU (--mem " + Units.formatSize(mem) + " / " + writers + " writers)");
        }
        List<VcpuWorkload> workloads = new ArrayList<>();
        long base = 0;
        for (int i = 0; i < kinds.length; i++) {
            boolean writer = kinds[i].dirtiesMemory();
            long size = writer ? region : 0;
            long workingSet = kinds[i] == WorkloadKind.RANDOM ? (wss == WHOLE_REGION ? region : wss) : size;
            workloads.add(new VcpuWorkload(i, kinds[i], rates[i], writer ? base : 0, size, workingSet, seed + i));
            base += size;
        }
        return workloads;
    }
}
