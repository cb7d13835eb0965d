package io.dirtylimit.agent.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the profile text format (docs/profiles.md): one statement per line, read in three steps,
 * the {@link ProfileTokenizer} (tokens), the {@link ProfileStatements} (global statements and hook
 * lines) and the {@link HookResolver} (each hook line's keys, once {@code vcpu-id} is known), then
 * checks the profile as a whole.
 *
 * <pre>
 * name       toyvm
 * page-size  4096
 * vcpu-id    thread-name "vcpu-(\d+)"
 * ring-full  class io.example.Vcpu handleRingFull()
 * dirty-page class io.example.Vcpu pageDirtied(long) page=arg0
 * store      implementations-of io.example.Bus write(long, byte[], int, int) address=arg0 size=arg3
 * </pre>
 *
 * Every error is reported as {@code ORIGIN:LINE: message}; all errors are collected.
 */
public final class ProfileParser {
    private ProfileParser() {}

    /**
     * Parses {@code text}.
     *
     * @param origin names it in messages ({@code builtin:toyvm} or a path)
     * @param text the profile
     * @return the profile
     * @throws ProfileException with every error found
     */
    public static Profile parse(String origin, String text) throws ProfileException {
        ProfileErrors errors = new ProfileErrors(origin);
        ProfileStatements statements = new ProfileStatements(errors);
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            errors.atLine(i + 1);
            List<String> tokens = ProfileTokenizer.tokenize(lines[i], errors);
            if (tokens != null && !tokens.isEmpty()) {
                statements.statement(tokens);
            }
        }
        List<HookSpec> hooks = resolve(statements, errors);
        checkWhole(statements, hooks, errors, lastLine(lines));
        errors.throwIfAny();
        return new Profile(statements.name == null ? origin : statements.name, origin, text, statements.pageSize,
                statements.vcpuRule, statements.ringSize, statements.quantum, statements.harvest, statements.maxVcpus,
                List.copyOf(hooks), unitCredit(statements));
    }

    private static List<HookSpec> resolve(ProfileStatements statements, ProfileErrors errors) {
        HookResolver resolver = new HookResolver(errors, statements.vcpuRule);
        List<HookSpec> hooks = new ArrayList<>();
        for (RawHook raw : statements.rawHooks) {
            HookSpec spec = resolver.resolve(raw, hooks.size());
            if (spec != null) {
                hooks.add(spec);
            }
        }
        return hooks;
    }

    /** With vcpu-id space, the profile's unit-credit or the default; else null. */
    private static java.time.Duration unitCredit(ProfileStatements statements) {
        if (statements.vcpuRule == null || statements.vcpuRule.kind() != VcpuRule.Kind.SPACE) {
            return null;
        }
        return statements.unitCredit != null ? statements.unitCredit : ProfileStatements.DEFAULT_UNIT_CREDIT;
    }

    /** The last line with text (a final line break ends it, it does not start another); 1 for an empty profile. */
    private static int lastLine(String[] lines) {
        int last = lines.length;
        while (last > 1 && lines[last - 1].isBlank()) {
            last--;
        }
        return last;
    }

    /**
     * Checks the profile as a whole. Its errors too carry a line: the statement concerned, else the
     * first hook, else the end of the file (where a missing statement would go).
     */
    private static void checkWhole(ProfileStatements profile, List<HookSpec> hooks, ProfileErrors errors, int lastLine) {
        errors.atLine(lastLine);
        if (profile.vcpuRule == null && profile.lineOf("vcpu-id") == null) {
            errors.error("no vcpu-id line: say how a thread is known to be vCPU N (thread-name, field, first-dirty or per-hook)"
                    + " or that each space object is a unit (space)");
        }
        if (profile.vcpuRule != null && profile.vcpuRule.kind() == VcpuRule.Kind.SPACE && profile.quantum != null
                && profile.quantum == 0) {
            errors.atLine(profile.lineOf("quantum"));
            errors.error("quantum 0 (line " + profile.lineOf("quantum") + ") leaves vcpu-id space no throttle point:"
                    + " its units are throttled every quantum of pages");
        }
        if (profile.unitCredit != null && profile.vcpuRule != null && profile.vcpuRule.kind() != VcpuRule.Kind.SPACE) {
            errors.atLine(profile.lineOf("unit-credit"));
            errors.error("unit-credit (line " + profile.lineOf("unit-credit") + ") applies only with vcpu-id space");
        }
        if (profile.rawHooks.isEmpty()) {
            errors.atLine(lastLine);
            errors.error("no hooks: add at least one ring-full, dirty-page or store line");
            return;
        }
        errors.atLine(profile.lineOf("ring-size") != null ? profile.lineOf("ring-size") : profile.rawHooks.get(0).line());
        boolean allResolved = hooks.size() == profile.rawHooks.size();
        boolean ringFull = hooks.stream().anyMatch(h -> h.role() == Role.RING_FULL);
        boolean counting = hooks.stream().anyMatch(h -> h.role() == Role.DIRTY_PAGE || h.role() == Role.STORE);
        int ringSize = profile.ringSize;
        if (ringSize > 0 && counting) {
            errors.error("ring-size " + ringSize + " (line " + profile.lineOf("ring-size")
                    + ") would count pages twice: this profile already counts them with dirty-page or store hooks");
        } else if (ringSize > 0 && !ringFull) {
            errors.error("ring-size " + ringSize + " (line " + profile.lineOf("ring-size") + ") needs a ring-full hook");
        } else if (ringSize == 0 && ringFull && !counting && allResolved) {
            errors.error("nothing counts dirtied pages: add ring-size N (pages per ring-full), or a dirty-page or store hook");
        } else if (!ringFull && !counting && allResolved) {
            errors.error("no hook throttles: add a ring-full, dirty-page or store hook");
        }
    }
}
