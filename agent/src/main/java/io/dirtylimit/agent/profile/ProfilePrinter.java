package io.dirtylimit.agent.profile;

import io.dirtylimit.core.Durations;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a parsed {@link Profile} as profile text that {@link ProfileParser} reads back to the
 * same profile: every statement and every hook key written out (defaults too), tokens quoted where
 * the tokenizer needs it. Its name is the profile's name (a profile without {@code name} gets its
 * origin's). The hook keys are written in one place each ({@link #hookLine}), so a new key of the
 * format is one more line there.
 */
final class ProfilePrinter {
    private ProfilePrinter() {}

    /** The profile as text. */
    static String print(Profile profile) {
        List<String> lines = new ArrayList<>();
        lines.add("name " + token(profile.name()));
        lines.add("page-size " + profile.pageSize());
        if (profile.vcpuRule() != null) {
            lines.add("vcpu-id " + vcpuRule(profile.vcpuRule()));
        }
        if (profile.ringSize() > 0) {
            lines.add("ring-size " + profile.ringSize());
        }
        if (profile.quantum() != null) {
            lines.add("quantum " + profile.quantum());
        }
        lines.add("harvest " + Durations.format(profile.harvest()));
        lines.add("max-vcpus " + profile.maxVcpus());
        if (profile.unitCredit() != null) {
            lines.add("unit-credit " + Durations.format(profile.unitCredit()));
        }
        boolean units = profile.vcpuRule() != null && profile.vcpuRule().kind() == VcpuRule.Kind.SPACE;
        profile.hooks().forEach(hook -> lines.add(hookLine(hook, units)));
        return String.join("\n", lines) + "\n";
    }

    private static String vcpuRule(VcpuRule rule) {
        return switch (rule.kind()) {
            case THREAD_NAME -> "thread-name " + token(rule.pattern().pattern());
            case FIELD -> "field " + rule.field();
            case FIRST_DIRTY -> "first-dirty" + (rule.pattern() == null ? "" : " " + token(rule.pattern().pattern()));
            case PER_HOOK -> "per-hook";
            case SPACE -> "space";
        };
    }

    /** A hook's line; with {@code units} (vcpu-id space) it takes no vcpu=, its unit is its space object. */
    static String hookLine(HookSpec hook, boolean units) {
        List<String> words = new ArrayList<>(List.of(hook.role().keyword(), hook.scope().keyword(), hook.typeName(),
                hook.methodName() + "(" + (hook.paramTypes() == null ? "*" : String.join(", ", hook.paramTypes())) + ")"));
        boolean addresses = hook.role() == Role.STORE || hook.role() == Role.DIRTY_PAGE;
        if (hook.value() != null && hook.value().kind() != ValueSource.Kind.CONSTANT) {
            words.add(hook.valueKey() + "=" + (addresses ? address(hook.value()) : hook.value().toString()));
        }
        if (hook.size() != null && !(hook.role().isMigration() && hook.size().kind() == ValueSource.Kind.CONSTANT)) {
            words.add(hook.sizeKey() + "=" + (hook.sizeIsEnd() ? address(hook.size()) : hook.size().toString()));
        }
        if (hook.dedupe()) {
            words.add("dedupe=yes");
        }
        if (hook.space() != null) {
            words.add("space=" + hook.space());
        }
        if (hook.spaceObject() != null) {
            words.add("space=" + hook.spaceObject());
        }
        if (!hook.role().isMigration() && !units) {
            words.add("vcpu=" + hook.vcpu());
        }
        words.add("at=" + (hook.atExit() ? "exit" : "enter"));
        return String.join(" ", words);
    }

    /** An address, page or end argument: read unsigned unless the profile said {@code signed(argN)}. */
    private static String address(ValueSource value) {
        return value.unsigned() ? value.toString() : "signed(" + value + ")";
    }

    /**
     * {@code text} as one token: as it is when the tokenizer would read it back unchanged, else with
     * the characters it treats specially (blanks, quotes, {@code #}, parentheses) in quoted pieces.
     * Inside quotes only {@code \"} is an escape, so a backslash that would end a quoted piece is
     * written outside it.
     */
    static String token(String text) {
        if (!text.isEmpty() && text.chars().noneMatch(ProfilePrinter::special)) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        StringBuilder quoted = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean endsQuote = c == '\\' && (i + 1 == text.length() || text.charAt(i + 1) != '"');
            if (endsQuote || (quoted == null && !special(c) && c != '\\')) {
                if (quoted != null) {
                    out.append('"').append(quoted).append('"');
                    quoted = null;
                }
                out.append(c);
            } else {
                quoted = quoted == null ? new StringBuilder() : quoted;
                quoted.append(c == '"' ? "\\\"" : String.valueOf(c));
            }
        }
        if (quoted != null) {
            out.append('"').append(quoted).append('"');
        }
        return out.length() == 0 ? "\"\"" : out.toString();
    }

    private static boolean special(int c) {
        return Character.isWhitespace(c) || c == '"' || c == '#' || c == '(' || c == ')';
    }
}
