package io.dirtylimit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One row of the overhead table: a toy VM workload that exercises a hook role flat out, the profile
 * that hooks it (no limit), and the throughput target for the ratio with agent / without.
 *
 * @param id name used by {@code --cases}
 * @param role the hook role(s) the profile installs
 * @param workload the workload's toy VM options, as shown in the table
 * @param toyVmArgs the toy VM's options, without {@code --seconds} and {@code --stats}
 * @param profile the profile given to the agent (built-in name or bundled benchmark profile); null
 *     for the control, whose "hooked" run has no agent either
 * @param target least acceptable ratio of hooked to baseline instruction rate
 * @param idleHandler diagnostic: the hooks stay installed but an empty handler replaces the agent's
 *     (see {@link IdleBridgeAgent}), so only the inlined advice and the bridge cost anything
 * @param countAlways diagnostic: the agent runs with {@code counting=always}, so its per-page hooks
 *     count (vCPU lookup, page tracking, core counter) although no limit is set, as they do while a
 *     limit, a calc-dirty-rate or a watched migration needs counts
 */
record OverheadCase(String id, String role, String workload, List<String> toyVmArgs, String profile, double target,
                    boolean idleHandler, boolean countAlways) {

    static final double RING_AND_PAGE_TARGET = 0.98;
    static final double STORE_TARGET = 0.90;

    /**
     * The cases of the acceptance targets, in table order. The dirty-page role runs with the ring
     * on: ring-less, the toy VM re-protects pages only at its once-a-second log sync, so seq would
     * report each page once a second (65536 calls/s for 256 MiB) instead of on every store. The
     * store role runs ring-less, the setting its profile is for (an emulator without dirty tracking
     * of its own), where a guest store costs the toy VM least; its hook runs on every store either way.
     */
    static final List<OverheadCase> TARGETS = List.of(
            flatOut("ring-full", "ring-full", "seq", 4096, "toyvm-ring-full", RING_AND_PAGE_TARGET),
            flatOut("dirty-page", "dirty-page", "seq", 4096, "toyvm-bitmap", RING_AND_PAGE_TARGET),
            flatOut("toyvm", "ring-full+dirty-page", "seq", 4096, "toyvm", RING_AND_PAGE_TARGET),
            flatOut("store-copy", "store", "copy", 0, "toyvm-store", STORE_TARGET),
            flatOut("store-seq", "store", "seq", 0, "toyvm-store", STORE_TARGET));

    /**
     * The A/A control: both runs of a round without the agent, on the ring-full and dirty-page
     * workload. Its ratio should be 1; its spread is the noise floor of the measurement.
     */
    static final OverheadCase CONTROL = new OverheadCase("control", "none (A/A control)", "seq max, ring 4096",
            TARGETS.get(0).toyVmArgs, null, RING_AND_PAGE_TARGET, false, false);

    /**
     * Diagnostics: the control; the per-page cases with the agent counting ({@code counting=always});
     * the same hooks with an empty handler behind the bridge.
     */
    static final List<OverheadCase> DIAGNOSTICS = Stream.of(
            Stream.of(CONTROL),
            Stream.of("dirty-page", "toyvm", "store-copy", "store-seq").map(id -> target(id).counting()),
            Stream.of("dirty-page", "store-copy", "store-seq").map(id -> target(id).idle()))
            .flatMap(cases -> cases).toList();

    static final List<OverheadCase> ALL = Stream.concat(TARGETS.stream(), DIAGNOSTICS.stream()).toList();

    /** One vCPU running {@code workload} at {@code --dirty-rate max} with a ring of {@code ring} entries (0: none). */
    static OverheadCase flatOut(String id, String role, String workload, int ring, String profile, double target) {
        List<String> args = List.of("--vcpus", "1", "--workload", workload, "--dirty-rate", "max", "--ring", Integer.toString(ring));
        return new OverheadCase(id, role, workload + " max, ring " + ring, args, profile, target, false, false);
    }

    private static OverheadCase target(String id) {
        return TARGETS.stream().filter(c -> c.id.equals(id)).findFirst().orElseThrow();
    }

    /** This case with an empty handler behind the bridge. */
    OverheadCase idle() {
        return new OverheadCase(id + "-idle", role + " (idle)", workload, toyVmArgs, profile, target, true, false);
    }

    /** This case with the agent counting pages although no limit is set. */
    OverheadCase counting() {
        return new OverheadCase(id + "-counting", role + " (counting)", workload, toyVmArgs, profile, target, false, true);
    }

    /** Whether a hook call must register vCPU 0: only the dispatcher registers, and only ring-full reaches it while idle. */
    boolean registersVcpu() {
        return !idleHandler && (countAlways || roles().contains("ring-full"));
    }

    /** Whether this is the A/A control (no agent on either side). */
    boolean isControl() {
        return profile == null;
    }

    /** The hook roles whose "instruments" line the agent must print for this case. */
    List<String> roles() {
        return List.of(role.replace(" (idle)", "").replace(" (counting)", "").split("\\+"));
    }

    /**
     * The cases named in {@code ids} (comma-separated), in table order: case ids, {@code targets}
     * (the acceptance cases, the default), {@code diagnostics} (the idle-handler cases) or {@code all}.
     */
    static List<OverheadCase> select(String ids) {
        List<OverheadCase> selected = new ArrayList<>();
        for (String id : ids.split(",")) {
            String name = id.strip();
            List<OverheadCase> named = switch (name) {
                case "targets" -> TARGETS;
                case "diagnostics" -> DIAGNOSTICS;
                case "all" -> ALL;
                default -> List.of(ALL.stream().filter(c -> c.id.equals(name)).findFirst().orElseThrow(
                        () -> new IllegalArgumentException("unknown case '" + name + "' (cases: " + ids() + ")")));
            };
            named.stream().filter(c -> !selected.contains(c)).forEach(selected::add);
        }
        selected.sort((a, b) -> ALL.indexOf(a) - ALL.indexOf(b));
        return selected;
    }

    static String ids() {
        return String.join(", ", ALL.stream().map(OverheadCase::id).toList()) + "; or targets, diagnostics, all";
    }
}
