package io.dirtylimit.bench.evidence;

import io.dirtylimit.core.GuardMode;
import java.util.List;

/**
 * A policy, its throttle points and the limit guarantee. {@code qemu} gets QEMU's ring-full points
 * only (quantum 0); the others the core's quantum points (256 pages at most, finer for small limits),
 * as in the simulator; {@code model-q0} is {@code model} with ring-full points only, to show what
 * quantum points buy. The simulator cannot run {@code model-q0} (it fixes the quantum per policy).
 * The guarantee is as by default (on for {@code model}, {@code pi}, {@code linear}; off for the QEMU
 * baselines); {@code model-unguarded} is {@code model} with it off, the controller alone, to show
 * what the guarantee buys.
 *
 * @param label name in tables and charts
 * @param policy core policy name
 * @param quantumPages the agent's {@code quantum=} option
 * @param guard the agent's {@code guard=} option
 */
record Variant(String label, String policy, int quantumPages, GuardMode guard) {
    static final int QUANTUM = 256;

    static final List<Variant> ALL = List.of(
            new Variant("model", "model", QUANTUM, GuardMode.AUTO),
            new Variant("pi", "pi", QUANTUM, GuardMode.AUTO),
            new Variant("linear", "linear", QUANTUM, GuardMode.AUTO),
            new Variant("qemu", "qemu", 0, GuardMode.AUTO),
            new Variant("v9", "v9", QUANTUM, GuardMode.AUTO),
            new Variant("model-unguarded", "model", QUANTUM, GuardMode.OFF),
            new Variant("model-q0", "model", 0, GuardMode.AUTO));

    /** Scenarios where {@code model-q0} runs: small limits and the big ring, where ring-full points alone are coarse. */
    static final List<String> Q0_SCENARIOS = List.of("limit-1", "limit-5", "limit-25", "ring-65536");

    /** Whether this variant runs on the toy VM in {@code scenario}. */
    boolean runsOnToyVm(String scenario) {
        return !label.equals("model-q0") || Q0_SCENARIOS.contains(scenario);
    }

    boolean simulated() {
        return !label.equals("model-q0");
    }
}
