package io.dirtylimit.agent;

import io.dirtylimit.core.DirtyLimiter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's options: one string, comma-separated {@code key=value} pairs, e.g.
 * {@code profile=toyvm,limit=200,period=500ms}. A key not given keeps its current value (on a
 * second attach) or its default. {@code report=} and {@code detach} are used by the command-line
 * tool; {@code fault-every=} is a test-only fault injection.
 */
final class AgentOptions {
    static final String DEFAULT_PROFILE = "toyvm";
    static final List<String> USER_KEYS = List.of("profile", "limit", "period", "policy", "quantum", "log");

    String profile;
    LimitSpec limit = LimitSpec.NONE;
    Duration period;
    String policy;
    Integer quantum;
    Log.Level log;
    Path report;
    long faultEvery;
    boolean detach;

    private AgentOptions() {}

    static AgentOptions parse(String text) throws OptionsException {
        AgentOptions options = new AgentOptions();
        if (text == null || text.isBlank()) {
            return options;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : text.split(",", -1)) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                throw new OptionsException("empty option in '" + text + "' (options are key=value, separated by commas)");
            }
            int eq = trimmed.indexOf('=');
            String key = (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim();
            String value = eq < 0 ? null : trimmed.substring(eq + 1).trim();
            if (!seen.add(key)) {
                throw new OptionsException("option '" + key + "' given twice");
            }
            options.set(key, value);
        }
        return options;
    }

    private void set(String key, String value) throws OptionsException {
        if (key.equals("detach")) {
            if (value != null) {
                throw new OptionsException("option 'detach' takes no value");
            }
            detach = true;
            return;
        }
        if (value == null || value.isEmpty()) {
            throw new OptionsException("option '" + key + "' needs a value (" + key + "=...)");
        }
        switch (key) {
            case "profile" -> profile = value;
            case "limit" -> limit = LimitSpec.parse(value);
            case "period" -> period = parsePeriod(value);
            case "policy" -> policy = parsePolicy(value);
            case "quantum" -> quantum = parseQuantum(value);
            case "log" -> log = parseLog(value);
            case "report" -> report = Path.of(value);
            case "fault-every" -> faultEvery = parseFaultEvery(value);
            default -> throw new OptionsException("unknown option '" + key + "' (known: "
                    + String.join(", ", USER_KEYS) + ")");
        }
    }

    private static Duration parsePeriod(String value) throws OptionsException {
        Duration period = Durations.parseOrNull(value);
        if (period == null) {
            throw new OptionsException("period '" + value + "' is not a duration like 500ms or 1s");
        }
        if (period.compareTo(DirtyLimiter.MIN_PERIOD) < 0 || period.compareTo(DirtyLimiter.MAX_PERIOD) > 0) {
            throw new OptionsException("period " + value + " is out of range " + Durations.format(DirtyLimiter.MIN_PERIOD)
                    + ".." + Durations.format(DirtyLimiter.MAX_PERIOD));
        }
        return period;
    }

    private static String parsePolicy(String value) throws OptionsException {
        if (!DirtyLimiter.policyNames().contains(value)) {
            throw new OptionsException("unknown policy '" + value + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(DirtyLimiter.policyNames())) + ")");
        }
        return value;
    }

    private static int parseQuantum(String value) throws OptionsException {
        try {
            int pages = Integer.parseInt(value);
            if (pages >= 0) {
                return pages;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new OptionsException("quantum '" + value + "' must be a number of pages, 0 or more");
    }

    private static Log.Level parseLog(String value) throws OptionsException {
        Log.Level level = Log.Level.named(value);
        if (level == null) {
            throw new OptionsException("log level '" + value + "' is not one of off, error, warn, info, debug");
        }
        return level;
    }

    private static long parseFaultEvery(String value) throws OptionsException {
        try {
            long every = Long.parseLong(value);
            if (every > 0) {
                return every;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new OptionsException("fault-every '" + value + "' must be a number of hook calls, 1 or more");
    }

    /** The profile to use: the one given, else the built-in {@code toyvm}. */
    String profileOrDefault() {
        return profile == null ? DEFAULT_PROFILE : profile;
    }
}
