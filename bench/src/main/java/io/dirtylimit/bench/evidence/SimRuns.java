package io.dirtylimit.bench.evidence;

import io.dirtylimit.core.sim.EvidenceSimulation;
import java.util.ArrayList;
import java.util.List;

/** The scenarios on the deterministic simulator: the real limiter, controller and policies on virtual time. */
final class SimRuns {
    /** Simulated length after the limit is set; longer than the toy VM runs, it costs nothing. */
    static final double SECONDS = 20;

    private SimRuns() {}

    static List<Sample> run(EvidenceScenario scenario, Variant variant) {
        long periodNanos = scenario.periodMs() * 1_000_000L;
        int periods = (int) Math.round(SECONDS * 1000 / scenario.periodMs());
        double low = scenario.bursty() ? scenario.guestMBps() / 10 : Double.NaN;
        List<Sample> samples = new ArrayList<>();
        EvidenceSimulation.Run run = EvidenceSimulation.run(variant.policy(), variant.guard(), periodNanos, periods,
                scenario.guestMBps(), low, 1_000_000_000L, scenario.limitMBps(), scenario.ring());
        for (EvidenceSimulation.Period p : run.periods()) {
            double t = (p.index() + 1) * scenario.periodMs() / 1000.0;
            samples.add(new Sample("sim", variant.label(), scenario.name(), t, 0, p.rateMBps(), scenario.limitMBps(),
                    p.demandMBps(), Double.NaN, p.sleptNanos() / 1e6, run.worstWindow()));
        }
        return samples;
    }
}
