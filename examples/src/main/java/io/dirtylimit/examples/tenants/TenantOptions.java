package io.dirtylimit.examples.tenants;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checked command line of {@link TenantVm}. */
record TenantOptions(int guests, int threads, double rateMbps, long guestMem, long seconds, WorkerPool.Order order) {
    static final int MAX_GUESTS = 1024;
    static final int MAX_THREADS = 256;
    static final double MAX_RATE_MBPS = 1_000_000;
    /** A WebAssembly page: guest memory comes in these. */
    static final long MEMORY_GRAIN = 64 * 1024;
    static final double FLAT_OUT = Double.POSITIVE_INFINITY;

    private static final List<String> OPTIONS = List.of("--guests", "--threads", "--rate", "--guest-mem", "--seconds", "--queue");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,13})([KMG]?)", Pattern.CASE_INSENSITIVE);

    boolean flatOut() {
        return Double.isInfinite(rateMbps);
    }

    /** Parses and checks {@code args}; {@code maxHeapBytes} refuses memory the JVM cannot hold. */
    static TenantOptions parse(String[] args, long maxHeapBytes) throws UsageException {
        Map<String, String> values = collect(args);
        int guests = count("--guests", values.getOrDefault("--guests", "2"), MAX_GUESTS);
        int threads = count("--threads", values.getOrDefault("--threads", "2"), MAX_THREADS);
        double rate = rate(values.getOrDefault("--rate", "max"));
        long guestMem = guestMem(values.getOrDefault("--guest-mem", "64M"));
        long seconds = seconds(values.getOrDefault("--seconds", "0"));
        WorkerPool.Order order = order(values.getOrDefault("--queue", "due"));
        checkHeap(guests, guestMem, maxHeapBytes);
        return new TenantOptions(guests, threads, rate, guestMem, seconds, order);
    }

    private static Map<String, String> collect(String[] args) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!OPTIONS.contains(name)) {
                throw new UsageException(arg.startsWith("-") ? "unknown option '" + name + "'" : "unexpected argument '" + arg + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            if (values.put(name, value) != null) {
                throw new UsageException(name + " given twice");
            }
        }
        return values;
    }

    private static int count(String option, String text, int max) throws UsageException {
        String t = text.trim();
        if (!t.matches("\\d{1,9}")) {
            throw new UsageException(option + ": malformed count '" + text + "'");
        }
        int n = Integer.parseInt(t);
        if (n < 1 || n > max) {
            throw new UsageException(option + ": must be between 1 and " + max + " (got " + n + ")");
        }
        return n;
    }

    private static double rate(String text) throws UsageException {
        String t = text.trim();
        if (t.equalsIgnoreCase("max")) {
            return FLAT_OUT;
        }
        if (!t.matches("\\d{1,9}(\\.\\d{1,6})?")) {
            throw new UsageException("--rate: malformed rate '" + text + "' (use max, or MB/s such as 100 or 12.5)");
        }
        double mbps = Double.parseDouble(t);
        if (mbps == 0) {
            throw new UsageException("--rate: must be above 0 (got " + text + ")");
        }
        if (mbps > MAX_RATE_MBPS) {
            throw new UsageException("--rate: " + text + " MB/s is above the " + (long) MAX_RATE_MBPS + " MB/s limit; use max to run flat out");
        }
        return mbps;
    }

    private static long guestMem(String text) throws UsageException {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new UsageException("--guest-mem: malformed size '" + text + "' (use e.g. 64M, 1G, 256K or a byte count)");
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        long value = Long.parseLong(m.group(1));
        if (value > (LinearMemory.MAX_SIZE >> shift)) {
            throw new UsageException("--guest-mem: at most 3G (got " + text + ")");
        }
        long bytes = value << shift;
        if (bytes == 0 || bytes % MEMORY_GRAIN != 0) {
            throw new UsageException("--guest-mem: must be a positive multiple of 64K, a WebAssembly page (got " + text + ")");
        }
        return bytes;
    }

    private static long seconds(String text) throws UsageException {
        String t = text.trim();
        if (!t.matches("\\d{1,18}")) {
            throw new UsageException("--seconds: malformed number '" + text + "' (a whole number, 0 or more)");
        }
        return Long.parseLong(t);
    }

    private static WorkerPool.Order order(String text) throws UsageException {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "due" -> WorkerPool.Order.DUE;
            case "fifo" -> WorkerPool.Order.FIFO;
            default -> throw new UsageException("--queue: unknown order '" + text + "' (use due or fifo)");
        };
    }

    private static void checkHeap(int guests, long guestMem, long maxHeapBytes) throws UsageException {
        long total = guests * guestMem;
        if (total > maxHeapBytes - (maxHeapBytes >> 3)) {
            throw new UsageException("--guest-mem: " + guests + " guests x " + formatSize(guestMem) + " = " + formatSize(total)
                    + " do not fit in this JVM's heap (max " + (maxHeapBytes >> 20) + "M); run java with a larger -Xmx,"
                    + " or use fewer --guests or a smaller --guest-mem");
        }
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
        if (Double.isInfinite(mbps)) {
            return "max";
        }
        return (mbps == Math.rint(mbps) ? Long.toString((long) mbps) : String.format(Locale.ROOT, "%s", mbps)) + " MB/s";
    }
}
