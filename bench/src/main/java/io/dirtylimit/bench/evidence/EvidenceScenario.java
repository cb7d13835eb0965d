package io.dirtylimit.bench.evidence;

import java.util.List;

/**
 * One situation measured twice, in the simulator and on the toy VM: one vCPU writing sequentially
 * at {@code guestMBps} (or bursty: one second at that rate, one at a tenth), limited to
 * {@code limitMBps} from the start, with a dirty ring of {@code ring} entries and a control period.
 *
 * @param name short name used in file names and tables
 * @param title chart title
 * @param workload toy VM workload, {@code seq} or {@code bursty}
 * @param guestMBps unthrottled rate (of the high phase for bursty)
 * @param limitMBps the limit
 * @param ring dirty ring entries
 * @param periodMs control period
 */
record EvidenceScenario(String name, String title, String workload, double guestMBps, double limitMBps, int ring,
        int periodMs) {

    static final double GUEST = 500;

    static final List<EvidenceScenario> ALL = List.of(
            seq("step-1s", "step 500 -> 200 MB/s, period 1 s, ring 4096", 200, 4096, 1000),
            seq("step-100ms", "step 500 -> 200 MB/s, period 100 ms, ring 4096", 200, 4096, 100),
            seq("limit-1", "500 MB/s guest limited to 1 MB/s, ring 4096", 1, 4096, 1000),
            seq("limit-5", "500 MB/s guest limited to 5 MB/s, ring 4096", 5, 4096, 1000),
            seq("limit-25", "500 MB/s guest limited to 25 MB/s, ring 4096", 25, 4096, 1000),
            new EvidenceScenario("bursty", "bursty guest 500/50 MB/s (1 s phases) limited to 40 MB/s, ring 4096",
                    "bursty", GUEST, 40, 4096, 1000),
            seq("ring-1024", "500 MB/s guest limited to 25 MB/s, ring 1024", 25, 1024, 1000),
            seq("ring-65536", "500 MB/s guest limited to 25 MB/s, ring 65536", 25, 65536, 1000));

    /** Scenarios of the quick smoke run. */
    static final List<String> QUICK = List.of("step-1s", "limit-5", "ring-65536");

    private static EvidenceScenario seq(String name, String title, double limit, int ring, int periodMs) {
        return new EvidenceScenario(name, title, "seq", GUEST, limit, ring, periodMs);
    }

    boolean bursty() {
        return workload.equals("bursty");
    }

    /** The guest's mean unthrottled rate. */
    double meanDemandMBps() {
        return bursty() ? (guestMBps + guestMBps / 10) / 2 : guestMBps;
    }
}
