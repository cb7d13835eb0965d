package io.dirtylimit.examples.toyvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Parses and checks the command line into a {@link VmConfig}. */
final class OptionParser {
    static final String USAGE = String.join("\n",
            "usage: java -jar toyvm.jar [options]",
            "",
            "  --mem SIZE            guest RAM, K/M/G suffixes (default 256M)",
            "  --vcpus N             vCPU threads vcpu-0..vcpu-N-1 (default 1)",
            "  --workload SPEC       seq | random | bursty | compute | copy | warmup | once, for all vCPUs, and/or",
            "                        per vCPU as I:NAME, e.g. 'seq' or '0:seq,1:compute' or 'random,0:copy'",
            "                        (default seq)",
            "  --dirty-rate SPEC     max | MB/s, same syntax (default max): the unthrottled target",
            "  --wss SIZE            working set of the random workload (default: its whole region)",
            "  --ring N              dirty ring entries per vCPU: a power of two from 16 to 65536,",
            "                        or 0 for no ring (dirty log) (default 4096)",
            "  --stats MODE          csv | table | none: per-vCPU statistics each second (default table)",
            "  --seconds S           stop after S seconds (default 0: run until 'quit')",
            "  --seed N              seed of the random workloads (default 1)",
            "  --migrate PARAMS      start a migration: bandwidth=MB/s,downtime=ms,max-passes=N,max-seconds=S",
            "                        (or 'defaults': 128 MB/s, 300 ms, 30 passes, 60 s)",
            "  --migrate-after S     seconds after start to begin --migrate (default 1)",
            "  --help                this text",
            "",
            "Workloads (RATE is the vCPU's --dirty-rate; with max, its flat-out speed):",
            "  seq       one store per 4K page, in order over its region, wrapping, at RATE",
            "  random    one store per page, to random pages of its working set (--wss), at RATE",
            "  bursty    seq, alternating 1 s at RATE and 1 s at RATE/10",
            "  compute   arithmetic only, dirties nothing",
            "  copy      memcpy: reads the first half of its region, writes the second half, at RATE",
            "  warmup    seq, but like a JIT warming up: RATE/50 for its first 2 s, then RATE",
            "            (flat out: busy 49/50 of the time in slow code, then full speed)",
            "  once      writes each page of its region once, in order, at RATE, then computes;",
            "            prints on stdout 'vcpu N: wrote SIZE MiB once in SECONDS s'",
            "            (SECONDS with 3 decimals; the line starts with '# ' with --stats csv)",
            "",
            "RAM is split evenly between the vCPUs that write memory (all but compute).",
            "Monitor commands are read from stdin, one per line; 'help' lists them.");

    static final int MAX_VCPUS = 256;
    static final int MIN_RING = 16;
    static final int MAX_RING = 65536;
    static final double MAX_RATE_MBPS = 1_000_000;

    private static final List<String> OPTIONS = List.of("--mem", "--vcpus", "--workload", "--dirty-rate", "--wss",
            "--ring", "--stats", "--seconds", "--seed", "--migrate", "--migrate-after");

    private final long maxHeapBytes;

    /** @param maxHeapBytes the JVM's heap limit, to refuse a --mem that cannot be allocated */
    OptionParser(long maxHeapBytes) {
        this.maxHeapBytes = maxHeapBytes;
    }

    /** True when the arguments ask for the usage text. */
    static boolean wantsHelp(String[] args) {
        return Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
    }

    VmConfig parse(String[] args) throws UsageException {
        Map<String, String> values = collect(args);
        long mem = memSize(values.getOrDefault("--mem", "256M"));
        int vcpus = vcpuCount(values.getOrDefault("--vcpus", "1"));
        WorkloadKind[] kinds = workloads(values.getOrDefault("--workload", "seq"), vcpus);
        double[] rates = rates(values.getOrDefault("--dirty-rate", "max"), vcpus);
        int ring = ringSize(values.getOrDefault("--ring", "4096"));
        VmConfig.StatsMode stats = statsMode(values.getOrDefault("--stats", "table"));
        long seconds = wholeNumber("--seconds", values.getOrDefault("--seconds", "0"));
        long seed = wholeNumber("--seed", values.getOrDefault("--seed", "1"));
        MigrationParams migrate = values.containsKey("--migrate") ? migrationParams(values.get("--migrate")) : null;
        long migrateAfter = migrateAfter(values, migrate);
        List<VcpuWorkload> workloads = Layout.plan(mem, kinds, rates, wssOption(values), seed);
        checkHeap(mem);
        return new VmConfig(mem, ring, workloads, stats, seconds, migrate, migrateAfter);
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
            values.put(name, value);
        }
        return values;
    }

    private long memSize(String text) throws UsageException {
        long mem = size("--mem", text);
        if (mem / Long.BYTES > Integer.MAX_VALUE - 8) {
            throw new UsageException("--mem: " + text + " is more than this emulator supports (16G)");
        }
        return mem;
    }

    private static long size(String option, String text) throws UsageException {
        long bytes = Units.parseSize(text);
        if (bytes < 0) {
            throw new UsageException(option + ": malformed size '" + text + "' (use e.g. 256M, 1G, 64K or a byte count)");
        }
        if (bytes == 0 || bytes % GuestMemory.PAGE_SIZE != 0) {
            throw new UsageException(option + ": must be a positive multiple of 4K (got " + text + ")");
        }
        return bytes;
    }

    private static int vcpuCount(String text) throws UsageException {
        int n = Units.parseCount(text);
        if (n < 0) {
            throw new UsageException("--vcpus: malformed count '" + text + "'");
        }
        if (n < 1 || n > MAX_VCPUS) {
            throw new UsageException("--vcpus: must be between 1 and " + MAX_VCPUS + " (got " + n + ")");
        }
        return n;
    }

    private static WorkloadKind[] workloads(String spec, int vcpus) throws UsageException {
        Map<Integer, String> perVcpu = new HashMap<>();
        String all = perVcpuSpec("--workload", spec, vcpus, perVcpu);
        WorkloadKind[] kinds = new WorkloadKind[vcpus];
        for (int i = 0; i < vcpus; i++) {
            String name = perVcpu.getOrDefault(i, all == null ? "seq" : all);
            kinds[i] = WorkloadKind.parse(name.toLowerCase(Locale.ROOT));
            if (kinds[i] == null) {
                throw new UsageException("--workload: unknown workload '" + name + "' (choose from " + WorkloadKind.choices() + ")");
            }
        }
        return kinds;
    }

    private static double[] rates(String spec, int vcpus) throws UsageException {
        Map<Integer, String> perVcpu = new HashMap<>();
        String all = perVcpuSpec("--dirty-rate", spec, vcpus, perVcpu);
        double[] rates = new double[vcpus];
        for (int i = 0; i < vcpus; i++) {
            rates[i] = rate(perVcpu.getOrDefault(i, all == null ? "max" : all));
        }
        return rates;
    }

    private static double rate(String text) throws UsageException {
        if (text.equalsIgnoreCase("max")) {
            return VcpuWorkload.FLAT_OUT;
        }
        double mbps = Units.parseDecimal(text);
        if (mbps < 0) {
            throw new UsageException("--dirty-rate: malformed rate '" + text + "' (use max, or MB/s such as 200 or 12.5)");
        }
        if (mbps == 0) {
            throw new UsageException("--dirty-rate: must be above 0 (got " + text + "); a vCPU that dirties nothing runs --workload compute");
        }
        if (mbps > MAX_RATE_MBPS) {
            throw new UsageException("--dirty-rate: " + text + " MB/s is above the " + (long) MAX_RATE_MBPS + " MB/s limit; use max to run flat out");
        }
        return mbps;
    }

    /**
     * Splits {@code NAME} or {@code NAME,I:NAME,...}: fills per-vCPU entries, returns the value
     * for all others (null when not given).
     */
    private static String perVcpuSpec(String option, String spec, int vcpus, Map<Integer, String> perVcpu) throws UsageException {
        String all = null;
        for (String item : spec.split(",", -1)) {
            String t = item.trim();
            int colon = t.indexOf(':');
            if (t.isEmpty()) {
                throw new UsageException(option + ": empty item in '" + spec + "'");
            }
            if (colon < 0) {
                if (all != null) {
                    throw new UsageException(option + ": two values for all vCPUs in '" + spec + "' (use I:VALUE for one vCPU)");
                }
                all = t;
                continue;
            }
            int index = Units.parseCount(t.substring(0, colon));
            if (index < 0) {
                throw new UsageException(option + ": malformed vCPU index in '" + t + "' (use I:VALUE, e.g. 0:" + (option.equals("--workload") ? "seq" : "200") + ")");
            }
            if (index >= vcpus) {
                throw new UsageException(option + ": vCPU index " + index + " out of range (--vcpus " + vcpus + ": 0.." + (vcpus - 1) + ")");
            }
            if (perVcpu.put(index, t.substring(colon + 1).trim()) != null) {
                throw new UsageException(option + ": vCPU " + index + " given twice");
            }
        }
        return all;
    }

    private static int ringSize(String text) throws UsageException {
        int n = Units.parseCount(text);
        if (n < 0) {
            throw new UsageException("--ring: malformed entry count '" + text + "'");
        }
        if (n != 0 && (n < MIN_RING || n > MAX_RING || Integer.bitCount(n) != 1)) {
            throw new UsageException("--ring: must be 0 (no ring: dirty log) or a power of two from " + MIN_RING + " to " + MAX_RING + " (got " + n + ")");
        }
        return n;
    }

    private static VmConfig.StatsMode statsMode(String text) throws UsageException {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "csv": return VmConfig.StatsMode.CSV;
            case "table": return VmConfig.StatsMode.TABLE;
            case "none": return VmConfig.StatsMode.NONE;
            default: throw new UsageException("--stats: must be csv, table or none (got '" + text + "')");
        }
    }

    private static long wholeNumber(String option, String text) throws UsageException {
        String t = text.trim();
        if (!t.matches("\\d{1,18}")) {
            throw new UsageException(option + ": malformed number '" + text + "' (a whole number, 0 or more)");
        }
        return Long.parseLong(t);
    }

    private static MigrationParams migrationParams(String text) throws UsageException {
        if (text.trim().equalsIgnoreCase("defaults")) {
            return MigrationParams.DEFAULTS;
        }
        try {
            return MigrationParams.parse(new ArrayList<>(Arrays.asList(text.split(","))));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--migrate: " + e.getMessage());
        }
    }

    private static long migrateAfter(Map<String, String> values, MigrationParams migrate) throws UsageException {
        if (!values.containsKey("--migrate-after")) {
            return 1;
        }
        if (migrate == null) {
            throw new UsageException("--migrate-after: needs --migrate (e.g. --migrate bandwidth=128,downtime=300)");
        }
        return wholeNumber("--migrate-after", values.get("--migrate-after"));
    }

    private static long wssOption(Map<String, String> values) throws UsageException {
        return values.containsKey("--wss") ? size("--wss", values.get("--wss")) : Layout.WHOLE_REGION;
    }

    private void checkHeap(long mem) throws UsageException {
        if (mem > maxHeapBytes - (maxHeapBytes >> 3)) {
            throw new UsageException("--mem: " + Units.formatSize(mem) + " does not fit in this JVM's heap (max "
                    + (maxHeapBytes >> 20) + "M); run java with a larger -Xmx");
        }
    }
}
