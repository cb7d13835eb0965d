package io.dirtylimit.core;

import java.util.Locale;

/**
 * Dirty rates as text, in one place: MB/s with MB = MiB (as in QEMU), written {@code 200},
 * {@code 12.5} or with a unit per second, {@code 512K}, {@code 200M}, {@code 1G}. The agent's
 * {@code limit=} option, its command-line tool and every report parse and print rates here.
 */
public final class Rates {
    /** What a rate looks like, for messages. */
    public static final String EXAMPLES = "e.g. 200, 12.5, 512K, 200M, 1G; per second";

    private Rates() {}

    /**
     * MB/s from {@code text}: a number, optionally followed by K, M or G (case-insensitive). The
     * sign is not checked here (see {@link #checkLimit}).
     *
     * @param text the rate as written
     * @return the rate in MB/s
     * @throws IllegalArgumentException {@code rate 'TEXT' is not a number of MB/s (e.g. ...)}
     */
    public static double parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        char unit = trimmed.isEmpty() ? ' ' : Character.toUpperCase(trimmed.charAt(trimmed.length() - 1));
        double scale = unit == 'K' ? 1.0 / 1024 : unit == 'M' ? 1 : unit == 'G' ? 1024 : 0;
        String number = scale == 0 ? trimmed : trimmed.substring(0, trimmed.length() - 1);
        if (!number.isBlank() && number.chars().noneMatch(Character::isLetter)) {
            try {
                double value = Double.parseDouble(number) * (scale == 0 ? 1 : scale);
                if (Double.isFinite(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("rate '" + text + "' is not a number of MB/s (" + EXAMPLES + ")");
    }

    /**
     * Checks a dirty limit: a finite number of MB/s, 0 or more (0 cancels). The message is the one
     * {@link DirtyLimiter#setVcpuDirtyLimit} gives.
     *
     * @param mbps the limit
     * @return {@code mbps}
     * @throws IllegalArgumentException for a negative, NaN or infinite rate
     */
    public static double checkLimit(double mbps) {
        if (!(mbps >= 0) || Double.isInfinite(mbps)) {
            throw new IllegalArgumentException("dirty rate must be a finite number of MB/s >= 0, got " + mbps);
        }
        return mbps;
    }

    /**
     * A limit as the user wrote it: {@code 200}, {@code 12.5}, {@code 0.333} (at most three
     * decimals, no trailing zeros).
     *
     * @param mbps the rate
     * @return its text, without unit
     */
    public static String format(double mbps) {
        if (mbps == Math.rint(mbps) && Math.abs(mbps) < 1e15) {
            return Long.toString((long) mbps);
        }
        String text = String.format(Locale.ROOT, "%.3f", mbps).replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * A measured rate, one decimal: {@code 198.4}.
     *
     * @param mbps the rate
     * @return its text, without unit
     */
    public static String formatMeasured(double mbps) {
        return String.format(Locale.ROOT, "%.1f", mbps);
    }
}
