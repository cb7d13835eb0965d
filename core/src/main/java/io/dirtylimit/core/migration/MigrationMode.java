package io.dirtylimit.core.migration;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the {@link MigrationGovernor} throttles a migration that falls behind; the one list of mode names. */
public enum MigrationMode {
    /** Nothing: the governor watches no migration. */
    OFF,
    /** Per-vCPU limits that share a budget of the link by max-min fairness (the default of {@code auto}). */
    FIT,
    /** QEMU's dirty-limit capability: every vCPU gets the same limit. */
    QEMU,
    /** QEMU's auto-converge: a whole-guest CPU throttle. */
    AUTO_CONVERGE;

    /** The word that switches the governor on in its default mode. */
    public static final String AUTO_WORD = "auto";

    /**
     * The mode {@code auto} selects.
     *
     * @return {@link #FIT}
     */
    public static MigrationMode auto() {
        return FIT;
    }

    /**
     * The mode's name in options, commands and reports: {@code off}, {@code fit}, {@code qemu}, {@code auto-converge}.
     *
     * @return the keyword
     */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The mode named {@code text}.
     *
     * @param text a keyword
     * @return the mode, or null when {@code text} names none
     */
    public static MigrationMode byKeyword(String text) {
        for (MigrationMode mode : values()) {
            if (mode.keyword().equals(text)) {
                return mode;
            }
        }
        return null;
    }

    /**
     * The mode a switch to {@code text} selects: a keyword, or {@code auto} for {@link #auto()}.
     *
     * @param text {@code off}, {@code auto}, {@code fit}, {@code qemu} or {@code auto-converge}
     * @return the mode
     * @throws IllegalArgumentException {@code migration mode 'TEXT' is not one of off, auto, fit, qemu, auto-converge}
     */
    public static MigrationMode forSwitch(String text) {
        MigrationMode mode = AUTO_WORD.equals(text) ? auto() : byKeyword(text);
        if (mode == null) {
            throw new IllegalArgumentException("migration mode '" + text + "' is not one of " + switchWords());
        }
        return mode;
    }

    /**
     * The keywords, in order.
     *
     * @return {@code off, fit, qemu, auto-converge}
     */
    public static String keywords() {
        return Arrays.stream(values()).map(MigrationMode::keyword).collect(Collectors.joining(", "));
    }

    /**
     * What a switch accepts: {@code off, auto, fit, qemu, auto-converge}.
     *
     * @return the words, comma-separated
     */
    public static String switchWords() {
        return OFF.keyword() + ", " + AUTO_WORD + ", " + Arrays.stream(values()).filter(m -> m != OFF)
                .map(MigrationMode::keyword).collect(Collectors.joining(", "));
    }
}
