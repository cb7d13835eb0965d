package io.dirtylimit.core.sim;

import io.dirtylimit.core.GuardMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The evidence command's door into the deterministic simulator, whose scenario types are
 * package-private in core: it lives in the simulator's package (on the class path, inside the bench
 * jar) so that the benchmark can run its own single-vCPU scenarios in-process on the same
 * {@code Simulation} as {@code Simulate}, without parsing text and without changing core.
 * Not an API of the product.
 */
public final class EvidenceSimulation {
    private static final int WARMUP_PERIODS = 2;

    private EvidenceSimulation() {}

    /**
     * One period of the simulated vCPU after the limit was set.
     *
     * @param index period number from 0
     * @param rateMBps rate measured over the period
     * @param demandMBps the vCPU's average unthrottled rate over the period
     * @param sleptNanos time asleep in the period
     */
    public record Period(int index, double rateMBps, double demandMBps, long sleptNanos) {}

    /**
     * One simulated run.
     *
     * @param periods every period after the limit was set
     * @param worstWindow the most pages in any 100 ms window after the limit, over what the limit allows
     * @param guarded whether the limit guarantee was in effect
     */
    public record Run(List<Period> periods, double worstWindow, boolean guarded) {}

    /**
     * Runs one vCPU under {@code policy} (quantum points as {@code Simulate} gives them: none for
     * qemu), with the limit guarantee in {@code guard} mode.
     *
     * @param highMBps the unthrottled rate (of the high phase when {@code lowMBps} is given)
     * @param lowMBps NaN for a constant guest; else the rate of the low phase, the phases
     *     alternating every {@code phaseNanos}, high first when the limit is set
     */
    public static Run run(String policy, GuardMode guard, long periodNanos, int periods, double highMBps,
            double lowMBps, long phaseNanos, double limitMBps, int ringPages) {
        RateProfile profile = Double.isNaN(lowMBps)
                ? RateProfile.constant(highMBps)
                : RateProfile.bursts(lowMBps, highMBps, phaseNanos, 2 * phaseNanos);
        Scenario scenario = new Scenario("evidence", profile.describe(), periodNanos, WARMUP_PERIODS, periods,
                Scenarios.BATCH, List.of(new Scenario.VcpuSpec(profile, limitMBps, ringPages)));
        if (scenario.limitSetNanos() % (2 * phaseNanos) != 0 && !Double.isNaN(lowMBps)) {
            throw new IllegalArgumentException("the warm-up must end at the start of a high phase");
        }
        RunResult result = Simulation.run(scenario, policy, guard);
        RunResult.VcpuRun run = result.vcpus().get(0);
        List<Period> out = new ArrayList<>();
        for (int k = 0; k < periods; k++) {
            out.add(new Period(k, run.rateMBps(k, periodNanos), run.demandMBps()[k], run.sleptNanos()[k]));
        }
        return new Run(out, run.worstWindow(), result.guarded());
    }
}
