package io.dirtylimit.bench.evidence;

import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.Vcpu;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Controller cost per period: {@link DirtyLimiter#runControllerPeriod()} timed on a manual-control
 * limiter with N registered vCPUs, all limited to 100 MB/s and each dirtying 200 MB/s worth of
 * pages per (virtual) period, so every policy has real work. Virtual clock: a throttle sleep moves it on.
 */
final class ControllerCost {
    static final int[] VCPUS = {1, 16, 256, 1024};
    static final long PERIOD_NANOS = 1_000_000_000L;

    /** Median and 90th percentile wall time of one controller period. */
    record Row(String policy, int vcpus, double medianNanos, double p90Nanos) {
        double perVcpuNanos() {
            return medianNanos / vcpus;
        }
    }

    private ControllerCost() {}

    static List<Row> measureAll(List<String> policies, int warmup, int measured) {
        List<Row> rows = new ArrayList<>();
        for (String policy : policies) {
            for (int n : VCPUS) {
                rows.add(measure(policy, n, warmup, measured));
            }
        }
        return rows;
    }

    static Row measure(String policy, int n, int warmup, int measured) {
        long[] now = {0};
        try (DirtyLimiter limiter = DirtyLimiter.builder().ticker(() -> now[0]).sleeper(nanos -> now[0] += nanos)
                .period(Duration.ofNanos(PERIOD_NANOS)).policy(policy).manualControl().build()) {
            Vcpu[] vcpus = new Vcpu[n];
            for (int i = 0; i < n; i++) {
                vcpus[i] = limiter.registerVcpu(i);
            }
            limiter.setAllVcpuDirtyLimit(100);
            int pagesPerPeriod = 200 * 256;
            long[] times = new long[measured];
            for (int k = 0; k < warmup + measured; k++) {
                for (Vcpu v : vcpus) {
                    for (int done = 0; done < pagesPerPeriod; done += 4096) {
                        now[0] += PERIOD_NANOS / (pagesPerPeriod / 4096) / n;
                        v.pagesDirtied(4096);
                        v.ringFull();
                    }
                }
                long start = System.nanoTime();
                limiter.runControllerPeriod();
                long took = System.nanoTime() - start;
                if (k >= warmup) {
                    times[k - warmup] = took;
                }
            }
            Arrays.sort(times);
            return new Row(policy, n, times[times.length / 2], times[(int) Math.min(times.length - 1, Math.ceil(0.9 * times.length) - 1)]);
        }
    }
}
