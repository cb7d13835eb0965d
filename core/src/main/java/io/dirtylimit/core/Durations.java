package io.dirtylimit.core;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Durations as text, in one place: {@code 500ms}, {@code 1s}, {@code 1.5s} or {@code 2m}. The
 * agent's options and reports and the migration governor's settings use it.
 */
public final class Durations {
    private Durations() {}

    /** The duration, or {@code null} when {@code text} is not one. */
    public static Duration parseOrNull(String text) {
        String t = text.trim();
        long nanosPerUnit;
        String number;
        if (t.endsWith("ms")) {
            nanosPerUnit = 1_000_000L;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            nanosPerUnit = 1_000_000_000L;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            nanosPerUnit = 60_000_000_000L;
            number = t.substring(0, t.length() - 1);
        } else {
            return null;
        }
        try {
            BigDecimal nanos = new BigDecimal(number.trim()).multiply(BigDecimal.valueOf(nanosPerUnit));
            if (nanos.signum() <= 0 || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                return null;
            }
            return Duration.ofNanos(nanos.longValue());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code 500ms}, {@code 1s}, {@code 1.5s}: the shortest exact form. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString() + "s";
    }
}
