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
        for (Scenario scenario : List.of(step(), stepFast(), low(), burst(), noisy(), sine(), many())) {
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

    private static Scenario single(
            String name, String description, long period, int periods, RateProfile profile, double limit, int ring) {
        return new Scenario(name, description, period, 2, periods, BATCH,
                List.of(new Scenario.VcpuSpec(profile, limit, ring)));
    }
}
