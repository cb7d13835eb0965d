package io.dirtylimit.agent;

import io.dirtylimit.agent.control.LimitSpec;
import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.GuardMode;
import io.dirtylimit.core.Durations;
import io.dirtylimit.core.Rates;
import io.dirtylimit.core.migration.MigrationMode;
import io.dirtylimit.core.migration.MigrationSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's options: one string, comma-separated {@code key=value} pairs, e.g.
 * {@code profile=toyvm,limit=200,period=500ms}. A key not given keeps its current value (on a
 * second attach) or its default. {@code report=} and {@code detach} are used by the command-line
 * tool; {@code fault-every=} is a test-only fault injection (documented as such, never needed in
 * production). The command-line tool parses them too, to refuse bad ones before attaching.
 */
public final class AgentOptions {
    static final String DEFAULT_PROFILE = "toyvm";
    static final List<String> USER_KEYS = List.of("profile", "limit", "period", "policy", "quantum", "guard", "counting", "log",
            "migration", "migration-mode", "migration-limit", "migration-threshold", "migration-period", "migration-budget");

    String profile;
    LimitSpec limit = LimitSpec.NONE;
    Duration period;
    String policy;
    Integer quantum;
    /** guard=auto|on|off: the limit guarantee; null: not given (the core's default, auto). */
    GuardMode guard;
    /** counting=always: per-page hooks count even when nothing needs it; null: not given (auto). */
    Boolean countAlways;
    Log.Level log;
    Path report;
    long faultEvery;
    boolean detach;
    /** migration=auto|off, then the mode, limit, threshold, period and budget keys; null: not given. */
    String migration;
    MigrationMode migrationMode;
    Double migrationLimit;
    Integer migrationThreshold;
    Duration migrationPeriod;
    Integer migrationBudget;

    private AgentOptions() {}

    /**
     * Parses the options.
     *
     * @param text {@code key=value} pairs separated by commas, or null
     * @return the options
     * @throws OptionsException saying what is wrong, in one line
     */
    public static AgentOptions parse(String text) throws OptionsException {
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
            case "limit" -> limit = parseLimit(value);
            case "period" -> period = parsePeriod(value);
            case "policy" -> policy = parsePolicy(value);
            case "quantum" -> quantum = parseQuantum(value);
            case "guard" -> guard = parseGuard(value);
            case "counting" -> countAlways = parseCounting(value);
            case "log" -> log = parseLog(value);
            case "report" -> report = parseReport(value);
            case "fault-every" -> faultEvery = parseFaultEvery(value);
            case "migration" -> migration = parseMigration(value);
            case "migration-mode" -> migrationMode = parseMigrationMode(value);
            case "migration-limit" -> migrationLimit = parseMigrationLimit(value);
            case "migration-threshold" -> migrationThreshold = parsePercent(key, value, 1, 100);
            case "migration-period" -> migrationPeriod = parseMigrationPeriod(value);
            case "migration-budget" -> migrationBudget = parsePercent(key, value, 1, 95);
            default -> throw new OptionsException("unknown option '" + key + "' (known: "
                    + String.join(", ", USER_KEYS) + ")");
        }
    }

    private static Path parseReport(String value) throws OptionsException {
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw new OptionsException("report '" + value + "' is not a file path: " + e.getReason());
        }
        String text = path.toString();
        if (text.isEmpty() || text.strip().length() != text.length()) {
            // Options trim their values: such a path could not be written back (e.g. 'r //' is the file 'r ').
            throw new OptionsException("report '" + value + "' names a file whose name starts or ends with a blank");
        }
        return path;
    }

    private static LimitSpec parseLimit(String value) throws OptionsException {
        try {
            return LimitSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new OptionsException(e.getMessage());
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

    private static GuardMode parseGuard(String value) throws OptionsException {
        try {
            return GuardMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new OptionsException(e.getMessage());
        }
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

    private static boolean parseCounting(String value) throws OptionsException {
        if (!value.equals("auto") && !value.equals("always")) {
            throw new OptionsException("counting '" + value + "' must be auto (count pages only while a limit, a calc or a"
                    + " watched migration needs them) or always");
        }
        return value.equals("always");
    }

    private static String parseMigration(String value) throws OptionsException {
        if (!value.equals(MigrationMode.AUTO_WORD) && !value.equals(MigrationMode.OFF.keyword())) {
            throw new OptionsException("migration '" + value + "' must be auto or off");
        }
        return value;
    }

    private static MigrationMode parseMigrationMode(String value) throws OptionsException {
        MigrationMode mode = MigrationMode.byKeyword(value);
        if (mode == null) {
            throw new OptionsException("migration-mode '" + value + "' is not one of " + MigrationMode.keywords());
        }
        return mode;
    }

    private static double parseMigrationLimit(String value) throws OptionsException {
        try {
            double mbps = Rates.parse(value);
            if (mbps > 0 && mbps < 1e6) {
                return mbps;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new OptionsException("migration-limit '" + value + "' must be a rate in MB/s above 0, like 1, 0.5 or 512K");
    }

    private static int parsePercent(String key, String value, int min, int max) throws OptionsException {
        try {
            int percent = Integer.parseInt(value);
            if (percent >= min && percent <= max) {
                return percent;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new OptionsException(key + " '" + value + "' must be a whole percentage from " + min + " to " + max);
    }

    private static Duration parseMigrationPeriod(String value) throws OptionsException {
        Duration period = Durations.parseOrNull(value);
        if (period == null || period.toMillis() < 1 || period.toMillis() > 1000) {
            throw new OptionsException("migration-period '" + value + "' must be a duration from 1ms to 1s (QEMU's 1..1000 ms)");
        }
        return period;
    }

    /**
     * The options as text that {@link #parse} reads back to the same options: every key given, in a
     * fixed order, values in their exact form (rates and durations without rounding).
     *
     * @return e.g. {@code profile=toyvm,limit=200;3:50,period=500ms}; empty when nothing was given
     */
    public String format() {
        List<String> pairs = new java.util.ArrayList<>();
        add(pairs, "profile", profile);
        add(pairs, "limit", limit.isEmpty() ? null : limit.format());
        add(pairs, "period", period == null ? null : Durations.format(period));
        add(pairs, "policy", policy);
        add(pairs, "quantum", quantum);
        add(pairs, "guard", guard == null ? null : guard.optionName());
        add(pairs, "counting", countAlways == null ? null : countAlways ? "always" : "auto");
        add(pairs, "log", log == null ? null : log.name().toLowerCase(java.util.Locale.ROOT));
        add(pairs, "migration", migration);
        add(pairs, "migration-mode", migrationMode == null ? null : migrationMode.keyword());
        add(pairs, "migration-limit", migrationLimit == null ? null : LimitSpec.formatRate(migrationLimit));
        add(pairs, "migration-threshold", migrationThreshold);
        add(pairs, "migration-period", migrationPeriod == null ? null : Durations.format(migrationPeriod));
        add(pairs, "migration-budget", migrationBudget);
        add(pairs, "report", report);
        add(pairs, "fault-every", faultEvery == 0 ? null : faultEvery);
        if (detach) {
            pairs.add("detach");
        }
        return String.join(",", pairs);
    }

    private static void add(List<String> pairs, String key, Object value) {
        if (value != null) {
            pairs.add(key + "=" + value);
        }
    }

    /** Options are equal when they read the same: {@link #format} is exact. */
    @Override
    public boolean equals(Object other) {
        return other instanceof AgentOptions options && options.format().equals(format());
    }

    @Override
    public int hashCode() {
        return format().hashCode();
    }

    @Override
    public String toString() {
        return format();
    }

    /** Whether any migration key was given. */
    boolean hasMigration() {
        return migration != null || migrationMode != null || migrationLimit != null || migrationThreshold != null
                || migrationPeriod != null || migrationBudget != null;
    }

    /**
     * The migration settings: {@code current} with the keys given. {@code migration=auto} selects
     * {@code migration-mode} (default {@link MigrationMode#auto()}), {@code migration=off} turns it off,
     * and a {@code migration-mode=} alone selects that mode.
     */
    MigrationSettings migrationSettings(MigrationSettings current) {
        MigrationMode mode = current.mode();
        if (MigrationMode.OFF.keyword().equals(migration)) {
            mode = MigrationMode.OFF;
        } else if (migrationMode != null) {
            mode = migrationMode;
        } else if (MigrationMode.AUTO_WORD.equals(migration) && mode == MigrationMode.OFF) {
            mode = MigrationMode.auto();
        }
        return new MigrationSettings(mode,
                migrationLimit != null ? migrationLimit : current.limitMbps(),
                migrationThreshold != null ? migrationThreshold : current.thresholdPercent(),
                migrationPeriod != null ? migrationPeriod : current.period(),
                migrationBudget != null ? migrationBudget : current.budgetPercent());
    }

    /** The profile to use: the one given, else the built-in {@code toyvm}. */
    String profileOrDefault() {
        return profile == null ? DEFAULT_PROFILE : profile;
    }

    /** @return the {@code profile=} given, or null */
    public String profile() {
        return profile;
    }

    /** @return the {@code report=} file the tool asked for, or null */
    public Path report() {
        return report;
    }

    /** @return whether {@code detach} was given */
    public boolean detach() {
        return detach;
    }
}
