package io.dirtylimit.core.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The named scenarios of {@link Simulate}. */
final class Scenarios {
    static final long MS = 1_000_000;
    static final long SECOND = 1_000 * MS;
    static final int BATCH = 256;

    private Scenarios() {}

    static Map<String, Scenario> all() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        for (Scenario scenario : List.of(step(), stepFast(), low(), burst(), bursty(), noisy(), sine(), many(),
                warmup(), shortBurst(), lateVcpu())) {
            all.put(scenario.name(), scenario);
        }
        return all;
    }

    static Scenario step() {
        return single("step", "one vCPU at 500 MB/s limited to 200, ring 4096, period 1 s",
                SECOND, 30, RateProfile.constant(500), 200, 4096);
    }

    static Scenario stepFast() {
        return single("step-fast", "one vCPU at 500 MB/s limited to 200, ring 4096, period 100 ms",
                100 * MS, 60, RateProfile.constant(500), 200, 4096);
    }

    static Scenario low() {
        return single("low", "one vCPU at 2000 MB/s limited to 1, ring 65536, period 1 s",
                SECOND, 30, RateProfile.constant(2000), 1, 65536);
    }

    static Scenario burst() {
        return single("burst", "one vCPU at 100 MB/s with 100 ms bursts at 1500 every 250 ms, limited to 300,"
                        + " ring 4096, period 1 s",
                SECOND, 30, RateProfile.bursts(100, 1500, 100 * MS, 250 * MS), 300, 4096);
    }

    /** The evidence command's bursty guest: both phases above the limit, one period each. */
    static Scenario bursty() {
        return single("bursty", "one vCPU alternating 500 and 50 MB/s in 1 s phases, limited to 40, ring 4096,"
                        + " period 1 s",
                SECOND, 30, RateProfile.bursts(50, 500, SECOND, 2 * SECOND), 40, 4096);
    }

    static Scenario noisy() {
        return single("noisy", "one vCPU at 600 MB/s +- 40 % per 10 ms (seed 42), limited to 250, ring 4096,"
                        + " period 1 s",
                SECOND, 30, RateProfile.noisy(600, 0.4, 42), 250, 4096);
    }

    static Scenario sine() {
        return single("sine", "one vCPU at 800 +- 300 MB/s, 20 s sine, limited to 200, ring 4096, period 1 s",
                SECOND, 40, RateProfile.sine(800, 300, 20 * SECOND), 200, 4096);
    }

    /** 256 vCPUs, rates 50..1000 MB/s and limits 20..400 MB/s drawn from seed 7; some limits exceed the rate. */
    static Scenario many() {
        SplittableRandom random = new SplittableRandom(7);
        List<Scenario.VcpuSpec> vcpus = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            double rate = Math.round(random.nextDouble(50, 1000));
            double limit = Math.round(random.nextDouble(20, 400));
            vcpus.add(new Scenario.VcpuSpec(RateProfile.constant(rate), limit, 4096));
        }
        return new Scenario("many", "256 vCPUs at 50..1000 MB/s limited to 20..400 (seed 7), ring 4096, period 1 s",
                SECOND, 2, 20, BATCH, vcpus);
    }

    /**
     * A JIT warming up under a limit set at start-up: 1/50 of its final speed for two periods, under
     * the limit, then 2500 MB/s. A controller that lands from last period's speed is a period late.
     */
    static Scenario warmup() {
        return new Scenario("warmup", "one vCPU at 50 MB/s for 2 periods (JIT warm-up), then 2500, limited to 100"
                        + " from the start, ring 4096, period 1 s",
                SECOND, 0, 30, BATCH,
                List.of(new Scenario.VcpuSpec(RateProfile.step(50, 2500, 2 * SECOND), 100, 4096)));
    }

    /** A one-shot 64 MiB burst at 2000 MB/s under a 5 MB/s limit set at start-up: 12.8 s at the limit. */
    static Scenario shortBurst() {
        return new Scenario("short-burst", "one vCPU writes 64 MiB at 2000 MB/s, then idles, limited to 5 from"
                        + " the start, ring 4096, period 1 s",
                SECOND, 0, 20, BATCH,
                List.of(new Scenario.VcpuSpec(RateProfile.constant(2000), 5, 4096, 0, 64 * 256)));
    }

    /** A limit for all vCPUs set before vCPU 1's thread appears, half a period later. */
    static Scenario lateVcpu() {
        long limitsAt = 2 * SECOND;
        return new Scenario("late-vcpu", "two vCPUs at 500 MB/s, a limit of 200 for all set before vCPU 1"
                        + " registers (half a period later), ring 4096, period 1 s",
                SECOND, 2, 30, BATCH,
                List.of(new Scenario.VcpuSpec(RateProfile.constant(500), 200, 4096),
                        new Scenario.VcpuSpec(RateProfile.constant(500), 200, 4096, limitsAt + SECOND / 2, 0)),
                true);
    }

    private static Scenario single(
            String name, String description, long period, int periods, RateProfile profile, double limit, int ring) {
        return new Scenario(name, description, period, 2, periods, BATCH,
                List.of(new Scenario.VcpuSpec(profile, limit, ring)));
    }
}
