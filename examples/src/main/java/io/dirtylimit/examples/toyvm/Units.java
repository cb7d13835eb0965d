package io.dirtylimit.examples.toyvm;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes (K/M/G/T suffixes, powers of 1024) and rates (MB/s, MB = MiB as in QEMU). */
final class Units {
    static final double MIB = 1024.0 * 1024.0;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})([KMGT]?)(I?B)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,9}(\\.\\d{1,6})?");

    private Units() {}

    /** A size in bytes, or -1 when malformed or too large. */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        try {
            long value = Long.parseLong(m.group(1));
            return value > (Long.MAX_VALUE >>> shift) ? -1 : value << shift;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A non-negative decimal number such as 200 or 12.5, or -1 when malformed. */
    static double parseDecimal(String text) {
        String t = text.trim();
        return DECIMAL.matcher(t).matches() ? Double.parseDouble(t) : -1;
    }

    /** A non-negative integer that fits in an int, or -1 when malformed. */
    static int parseCount(String text) {
        String t = text.trim();
        if (!t.matches("\\d{1,9}")) {
            return -1;
        }
        return Integer.parseInt(t);
    }

    static String formatSize(long bytes) {
        String[] suffixes = {"", "K", "M", "G", "T"};
        int i = 0;
        long value = bytes;
        while (i < suffixes.length - 1 && value >= 1024 && value % 1024 == 0) {
            value /= 1024;
            i++;
        }
        return value + suffixes[i];
    }

    static String formatRate(double mbps) {
        return mbps == Math.rint(mbps) ? Long.toString((long) mbps) : String.format(Locale.ROOT, "%.1f", mbps);
    }

    /** Bytes in MiB: a whole number when whole, else two decimals. */
    static String formatMiB(long bytes) {
        return bytes % (1 << 20) == 0 ? Long.toString(bytes >> 20) : String.format(Locale.ROOT, "%.2f", bytes / MIB);
    }

    static double pagesToMiB(long pages) {
        return pages * (double) GuestMemory.PAGE_SIZE / MIB;
    }

    static double bytesToMiB(long bytes) {
        return bytes / MIB;
    }
}
