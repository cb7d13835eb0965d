package io.dirtylimit.agent.tool;

import io.dirtylimit.agent.profile.ProfileException;
import io.dirtylimit.agent.profile.ProfileParser;
import io.dirtylimit.agent.tool.DiscoverAnalysis.MethodFinding;
import io.dirtylimit.agent.tool.DiscoverAnalysis.Verdict;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The draft profile {@code discover} proposes: the vCPU rule ({@code vcpu-id space} when the
 * stores' objects are guests at the same addresses) and one {@code store} line per method found to
 * store (nested calls of one store once; {@code end=} where an argument is the store's end,
 * {@code space=this} for guests' memory objects), with the evidence in comment lines; possible
 * stores as {@code # maybe:} comments, so the draft stays valid as it is. {@link #problems} parses
 * it with the agent's own parser.
 */
final class DiscoverDraft {
    private DiscoverDraft() {}

    /**
     * The draft's text.
     *
     * @param analysis the findings
     * @param name the profile's name
     * @return the profile, lines separated by \n, ending with one
     */
    static String text(DiscoverAnalysis analysis, String name) {
        List<String> lines = new ArrayList<>();
        lines.add("# DRAFT profile written by dirtylimit discover from process " + analysis.data.pid() + " (java "
                + analysis.data.javaVersion() + "), " + String.format(Locale.ROOT, "%.1f", analysis.data.seconds()) + " s at "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".");
        lines.add("# A draft: check every line against the emulator before relying on it. Lines '# maybe:' are possible");
        lines.add("# stores, and keys that may describe the emulator better.");
        lines.add("name        " + name);
        lines.add("page-size   4096        # the page discover counted in; the guest's if it differs");
        vcpuLines(analysis, lines);
        lines.add("harvest     1s          # how often first writes are forgotten: match the emulator's own dirty accounting");
        List<MethodFinding> hooks = analysis.methods.stream().filter(MethodFinding::isHook).toList();
        if (hooks.isEmpty()) {
            lines.add("");
            lines.add("# no store found: no probed method took an int or long that spread over " + DiscoverAnalysis.ADDRESS_MIN_PAGES
                    + " pages or more under a name that writes; probe other packages (--package, --class) and look at");
            lines.add("# the possible stores below, or write the store line yourself:");
            lines.add("# store       class TYPE METHOD(PARAMETER TYPES) address=argN size=argM");
        }
        for (MethodFinding method : analysis.methods) {
            if (method.verdict() == Verdict.STORE) {
                storeLines(method, lines);
            }
        }
        for (MethodFinding method : analysis.methods) {
            if (method.verdict() == Verdict.POSSIBLE_STORE) {
                lines.add("");
                lines.add("# maybe: " + method.stats().signature() + ", " + String.join("; ", method.notes()));
                lines.add("# maybe: " + hookLine(method));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static void vcpuLines(DiscoverAnalysis analysis, List<String> lines) {
        DiscoverThreadPattern pattern = analysis.pattern;
        if (pattern == null) {
            lines.add("vcpu-id     first-dirty     # no thread stored: threads are numbered in the order they first store");
            return;
        }
        if (analysis.vcpuRule.equals("space")) {
            lines.add("vcpu-id     space           # the stores' objects are guests at the same addresses: each object is a unit,");
            lines.add("                            # numbered in the order of its first write, whichever thread runs it");
            if (pattern.regex() != null) {
                lines.add("# or, when each guest has a thread of its own: vcpu-id thread-name \""
                        + pattern.regex().replace("\"", "\\\"") + "\" (" + describe(pattern) + ")");
            }
            return;
        }
        if (pattern.regex() == null) {
            lines.add("vcpu-id     first-dirty     # the storing threads' names carry no number: numbered in the order they first store");
        } else {
            lines.add("vcpu-id     " + analysis.vcpuRule + "    # " + describe(pattern));
        }
        if (pattern.problem() != null) {
            lines.add("# check the vcpu-id rule: " + pattern.problem());
        }
    }

    private static String describe(DiscoverThreadPattern pattern) {
        List<String> names = new ArrayList<>();
        pattern.matched().forEach((thread, vcpu) -> names.add(thread + " -> " + vcpu));
        if (names.size() > 4) {
            int more = names.size() - 3;
            names.subList(3, names.size()).clear();
            names.add("and " + more + " more");
        }
        return String.join(", ", names);
    }

    private static void storeLines(MethodFinding method, List<String> lines) {
        lines.add("");
        String evidence = String.format(Locale.ROOT, "%s: %s calls/s on %d thread(s), arg%d touched %d pages",
                method.stats().signature(), DiscoverFormat.count(method.callsPerSecond()), method.threads(), method.address(),
                method.stats().param(method.address()).pages());
        lines.add("# " + evidence);
        method.notes().forEach(note -> lines.add("#   " + note));
        if (method.sameStoresAs() != null) {
            lines.add("# the same stores as " + method.sameStoresAs() + " (a nested call): one hook is enough");
            lines.add("# store       " + hookLine(method).substring("store".length()).trim());
        } else {
            lines.add(hookLine(method));
        }
        if (!method.maybes().isEmpty()) {
            lines.add("# maybe: " + String.join(", ", method.maybes()));
        }
    }

    static String hookLine(MethodFinding method) {
        return "store       class " + method.stats().className() + " " + method.stats().profileMethod() + " address=arg"
                + method.address() + " " + method.size() + (method.objectSpace() ? " space=this" : "");
    }

    /**
     * What the agent's parser says about the draft.
     *
     * @param text the draft
     * @return its errors, none when it parses
     */
    static List<String> problems(String text) {
        try {
            ProfileParser.parse("draft", text);
            return List.of();
        } catch (ProfileException e) {
            return e.errors();
        }
    }
}
