package io.dirtylimit.agent.profile;

import java.util.regex.Pattern;

/**
 * The profile's {@code vcpu-id} line: how a thread is known to be vCPU number N when a hook does
 * not read the index itself.
 *
 * @param kind the rule
 * @param pattern thread-name pattern (group 1 is the index), or the optional name filter of first-dirty
 * @param field the field of {@code this} that hooks read by default (FIELD)
 */
public record VcpuRule(Kind kind, Pattern pattern, String field) {

    /** The rule. */
    public enum Kind {
        /** The thread's name matches a pattern whose first group is the index. */
        THREAD_NAME,
        /** Hooks read a field of {@code this}; other hooks on the same thread reuse what it found. */
        FIELD,
        /** Threads are numbered 0, 1, ... in the order they first dirty memory. */
        FIRST_DIRTY,
        /** Every hook says {@code vcpu=}; other hooks on the same thread reuse what was found. */
        PER_HOOK,
        /**
         * Every address-space object ({@code space=this}, {@code space=argN}, {@code space=this.FIELD})
         * is one throttled unit, numbered in the order of its first write, whichever thread writes it.
         */
        SPACE
    }

    @Override
    public String toString() {
        return switch (kind) {
            case THREAD_NAME -> "thread-name \"" + pattern.pattern() + "\"";
            case FIELD -> "field " + field;
            case FIRST_DIRTY -> "first-dirty" + (pattern == null ? "" : " \"" + pattern.pattern() + "\"");
            case PER_HOOK -> "per-hook";
            case SPACE -> "space";
        };
    }
}
