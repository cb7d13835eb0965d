package io.dirtylimit.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of the overhead table: a toy VM workload that exercises a hook role flat out, the profile
 * that hooks it (no limit), and the throughput target for the ratio with agent / without.
 *
 * @param id name used by {@code --cases}
 * @param role the hook role(s) the profile installs
 * @param workload the workload's toy VM options, as shown in the table
 * @param toyVmArgs the toy VM's options, without {@code --seconds} and {@code --stats}
 * @param profile the profile given to the agent (built-in name or bundled benchmark profile)
 * @param target least acceptable ratio of hooked to baseline instruction rate
 */
record OverheadCase(String id, String role, String workload, List<String> toyVmArgs, String profile, double target) {

    static final double RING_AND_PAGE_TARGET = 0.98;
    static final double STORE_TARGET = 0.90;

    /** Every case, in table order. */
    static final List<OverheadCase> ALL = List.of(
            flatOut("ring-full", "ring-full", "seq", 4096, "toyvm-ring-full", RING_AND_PAGE_TARGET),
            flatOut("dirty-page", "dirty-page", "seq", 4096, "toyvm-bitmap", RING_AND_PAGE_TARGET),
            flatOut("dirty-page-ring0", "dirty-page", "seq", 0, "toyvm-bitmap", RING_AND_PAGE_TARGET),
            flatOut("toyvm", "ring-full+dirty-page", "seq", 4096, "toyvm", RING_AND_PAGE_TARGET),
            flatOut("store-copy", "store", "copy", 0, "toyvm-store", STORE_TARGET),
            flatOut("store-seq", "store", "seq", 0, "toyvm-store", STORE_TARGET));

    /** One vCPU running {@code workload} at {@code --dirty-rate max} with a ring of {@code ring} entries (0: none). */
    static OverheadCase flatOut(String id, String role, String workload, int ring, String profile, double target) {
        List<String> args = List.of("--vcpus", "1", "--workload", workload, "--dirty-rate", "max", "--ring", Integer.toString(ring));
        return new OverheadCase(id, role, workload + " max, ring " + ring, args, profile, target);
    }

    /** The hook roles whose "instruments" line the agent must print for this case. */
    List<String> roles() {
        return List.of(role.split("\\+"));
    }

    /** The cases named in {@code ids} (comma-separated), in table order; "all" selects every case. */
    static List<OverheadCase> select(String ids) {
        if (ids.equals("all")) {
            return ALL;
        }
        List<String> wanted = List.of(ids.split(","));
        List<OverheadCase> selected = new ArrayList<>();
        for (String id : wanted) {
            OverheadCase found = ALL.stream().filter(c -> c.id.equals(id.strip())).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("unknown case '" + id + "' (cases: " + ids() + ", or all)"));
            if (!selected.contains(found)) {
                selected.add(found);
            }
        }
        selected.sort((a, b) -> ALL.indexOf(a) - ALL.indexOf(b));
        return selected;
    }

    static String ids() {
        return String.join(", ", ALL.stream().map(OverheadCase::id).toList());
    }
}
