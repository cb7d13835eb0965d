package io.dirtylimit.bench.evidence;

import java.util.List;

/**
 * A policy and its throttle points. {@code qemu} gets QEMU's ring-full points only (quantum 0); the
 * others the core's quantum points (256 pages at most, finer for small limits), as in the
 * simulator; {@code model-q0} is {@code model} with ring-full points only, to show what quantum
 * points buy. The simulator cannot run {@code model-q0} (it fixes the quantum per policy).
 *
 * @param label name in tables and charts
 * @param policy core policy name
 * @param quantumPages the agent's {@code quantum=} option
 */
record Variant(String label, String policy, int quantumPages) {
    static final int QUANTUM = 256;

    static final List<Variant> ALL = List.of(
            new Variant("model", "model", QUANTUM),
            new Variant("pi", "pi", QUANTUM),
            new Variant("linear", "linear", QUANTUM),
            new Variant("qemu", "qemu", 0),
            new Variant("v9", "v9", QUANTUM),
            new Variant("model-q0", "model", 0));

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
