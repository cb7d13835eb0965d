package io.dirtylimit.bench;

import io.dirtylimit.core.migration.MigrationMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Migrates the same toy-VM guest once per mode (no throttle, QEMU-style auto-converge, the dirty
 * limit) and prints one line each. Each run is a child JVM: the toy VM, with the agent for every
 * mode but {@code none}. The guest: 3 vCPUs, two {@code seq} writers at {@code --dirty-rate} MB/s
 * each and a compute-only vCPU 2, whose instruction rate during the migration is compared with its
 * rate outside it (before and after, in the same run).
 *
 * <pre>java -cp bench/target/dirtylimit-bench.jar io.dirtylimit.bench.MigrationDemo [--toyvm JAR] [--agent JAR] [--modes LIST] ...</pre>
 *
 * The toy VM and agent jars are found under the repository root (as {@link ToyVmOverhead} finds
 * them) unless given. It lives in the bench module: the shipped agent jar holds only what runs in
 * production.
 */
public final class MigrationDemo {
    static final int COMPUTE_VCPU = 2;
    static final int[] WRITERS = {0, 1};
    private static final Pattern JSON_NUMBER = Pattern.compile("\"(\\w+)\":(true|false|null|-?[0-9.]+)");

    private String repo;
    private String toyvm;
    private String agentJar;
    private String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private List<String> modes = List.of("none", "auto-converge", "qemu", "fit");
    private String mem = "32M";
    private int dirtyRate = 200;
    private int bandwidth = 64;
    private int downtime = 50;
    private int migrateAfter = 3;
    private int maxSeconds = 8;
    private int secondsAfter = 3;
    private String migrationPeriod;

    private MigrationDemo() {}

    /** Runs the demo; exit status 2 for bad arguments, 1 if a run failed to produce a result. */
    public static void main(String[] args) throws Exception {
        MigrationDemo demo = new MigrationDemo();
        try {
            demo.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("migration demo: " + e.getMessage());
            System.exit(2);
        }
        System.exit(demo.run() ? 0 : 1);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(key + " needs a value");
            }
            String value = args[++i];
            switch (key) {
                case "--repo" -> repo = value;
                case "--toyvm" -> toyvm = value;
                case "--agent" -> agentJar = value;
                case "--java" -> java = value;
                case "--modes" -> modes = Arrays.asList(value.split(","));
                case "--mem" -> mem = value;
                case "--dirty-rate" -> dirtyRate = Integer.parseInt(value);
                case "--bandwidth" -> bandwidth = Integer.parseInt(value);
                case "--downtime" -> downtime = Integer.parseInt(value);
                case "--max-seconds" -> maxSeconds = Integer.parseInt(value);
                case "--migration-period" -> migrationPeriod = value;
                default -> throw new IllegalArgumentException("unknown option " + key + " (--repo DIR, --toyvm JAR, --agent JAR, --java PATH, "
                        + "--modes none,auto-converge,qemu,fit, --mem SIZE, --dirty-rate MBPS, --bandwidth MBPS, --downtime MS, --max-seconds S, --migration-period DURATION)");
            }
        }
        for (String mode : modes) {
            if (!mode.equals("none") && MigrationMode.byKeyword(mode) == null) {
                throw new IllegalArgumentException("unknown mode '" + mode + "' (none, auto-converge, qemu, fit)");
            }
        }
        RepoJars jars = RepoJars.locate(repo == null ? null : Path.of(repo), toyvm == null ? null : Path.of(toyvm),
                agentJar == null ? null : Path.of(agentJar));
        toyvm = jars.toyVm().toString();
        agentJar = jars.agent().toString();
    }

    private boolean run() throws IOException, InterruptedException {
        System.out.printf(Locale.ROOT, "guest: 3 vCPUs, %s RAM, vCPUs 0-1 seq writers at %d MB/s each, vCPU 2 compute-only; "
                + "link %d MB/s, downtime limit %d ms, give up after %d s%n", mem, dirtyRate, bandwidth, downtime, maxSeconds);
        System.out.println("compute vCPU (medians of the seconds wholly inside the pre-copy phase / outside the migration):"
                + " compute_ips_during and ratio_to_outside: instructions per second off the run queue (1 s minus the time it"
                + " waited for a CPU, /proc/PID/task/TID/schedstat), so CPU contention does not count but throttle sleeps do;"
                + " wall_ratio: instructions per wall-clock second; run_share_ratio: the share of its time off the run queue it"
                + " was on a CPU, i.e. not asleep in a throttle (independent of the CPU's speed); rate_source: schedstat, or"
                + " wall-clock where schedstat is missing");
        System.out.printf(Locale.ROOT, "%-14s %-9s %8s %11s %6s %9s %22s %18s %18s %13s %10s %15s %s%n", "mode", "converged", "total_ms",
                "downtime_ms", "passes", "identical", "compute_ips_during(M)", "ratio_to_outside", "writer0_min_during", "writer0_after",
                "wall_ratio", "run_share_ratio", "rate_source");
        boolean ok = true;
        for (String mode : modes) {
            Result r = runOnce(mode);
            ok &= r.json != null;
            System.out.println(r.line());
            r.stderr.lines().filter(l -> l.startsWith("dirtylimit: migration: ") && !l.contains(", trigger "))
                    .forEach(l -> System.out.println("    " + mode + " agent: " + l.substring("dirtylimit: migration: ".length())));
        }
        return ok;
    }

    /** One child toy VM, migrated once; its stdout parsed. */
    Result runOnce(String mode) throws IOException, InterruptedException {
        int seconds = migrateAfter + maxSeconds + secondsAfter;
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m"));
        if (!mode.equals("none")) {
            cmd.add("-javaagent:" + agentJar + "=profile=toyvm,migration=auto,migration-mode=" + mode + ",quantum=64,log=info"
                    + (migrationPeriod == null ? "" : ",migration-period=" + migrationPeriod));
        }
        cmd.addAll(List.of("-cp", toyvm, "io.dirtylimit.examples.toyvm.ToyVm", "--mem", mem, "--vcpus", "3",
                "--workload", "seq,2:compute", "--dirty-rate", Integer.toString(dirtyRate),
                "--migrate", "bandwidth=" + bandwidth + ",downtime=" + downtime + ",max-passes=1000,max-seconds=" + maxSeconds,
                "--migrate-after", Integer.toString(migrateAfter), "--seconds", Integer.toString(seconds), "--stats", "csv"));
        Path err = Files.createTempFile("migration-demo-" + mode, ".err");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        List<String> out = new ArrayList<>();
        Map<Long, long[]> sched = new HashMap<>();
        ThreadSchedstat compute = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                out.add(line);
                Long t = computeSecond(line);
                if (t != null) {
                    // Read as the reaper's line arrives: the same second boundary, give or take the pipe.
                    compute = compute != null ? compute : ThreadSchedstat.find(p.pid(), "vcpu-" + COMPUTE_VCPU);
                    long[] stat = compute == null ? null : compute.read();
                    if (stat != null) {
                        sched.put(t, new long[] {stat[0], stat[1], System.nanoTime()});
                    }
                }
            }
        }
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Result r = Result.parse(mode, out, migrateAfter, sched);
        r.stderr = Files.readString(err);
        Files.deleteIfExists(err);
        return r;
    }

    /** The second of a CSV line of the compute vCPU, else null. */
    private static Long computeSecond(String line) {
        String[] f = line.split(",", 3);
        if (f.length < 3 || !f[1].equals(Integer.toString(COMPUTE_VCPU)) || !f[0].chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(f[0]);
    }

    /** What one run showed. */
    static final class Result {
        final String mode;
        String json;
        boolean converged;
        long totalMs;
        long downtimeMs;
        long passes;
        String identical = "null";
        /** The compute vCPU's instructions per second off the run queue (wall-clock without schedstat), medians. */
        double computeIpsDuring;
        double computeIpsOutside;
        /** Instructions per wall-clock second, uncorrected, medians. */
        double computeWallDuring;
        double computeWallOutside;
        /** Share of its time off the run queue the compute vCPU was on a CPU (not asleep), medians; NaN without schedstat. */
        double computeRunShareDuring = Double.NaN;
        double computeRunShareOutside = Double.NaN;
        /** Whether schedstat was read (else the rates are wall-clock ones). */
        boolean corrected;
        double writerMbpsAfter;
        double writerMbpsDuring;
        String stderr = "";

        Result(String mode) {
            this.mode = mode;
        }

        /** {@code sched}: the compute vCPU's schedstat, {on-CPU ns, run-queue wait ns, read at ns}, by CSV second. */
        static Result parse(String mode, List<String> out, int migrateAfter, Map<Long, long[]> sched) {
            Result r = new Result(mode);
            List<double[]> rows = new ArrayList<>();
            for (String line : out) {
                if (line.startsWith("# {")) {
                    r.readJson(line.substring(2));
                } else if (!line.startsWith("#") && !line.startsWith("t_s") && !line.isBlank()) {
                    String[] f = line.split(",");
                    rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                            Double.parseDouble(f[4])});
                }
            }
            if (r.json == null) {
                return r;
            }
            // CSV second t covers (t-1, t]: a second is "during" when it lies wholly inside the migration.
            double start = migrateAfter;
            double end = start + r.totalMs / 1000.0;
            double stop = end - r.downtimeMs / 1000.0; // the guest is paused from here to the end
            Window during = new Window();
            Window outside = new Window();
            List<Double> after = new ArrayList<>();
            List<Double> writerDuring = new ArrayList<>();
            for (double[] row : rows) {
                double t = row[0];
                boolean inside = t - 1 >= start && t <= stop;
                boolean clear = t <= start || t - 1 >= end + 1; // not the seconds around the stop-and-copy
                if (row[1] == COMPUTE_VCPU && t >= 2 && (inside || clear)) {
                    (inside ? during : outside).add(row[3], sched.get((long) t - 1), sched.get((long) t));
                } else if (row[1] == WRITERS[0] && t - 1 >= end + 1) {
                    after.add(row[2]);
                } else if (row[1] == WRITERS[0] && inside) {
                    writerDuring.add(row[2]);
                }
            }
            // Only the child's last second may lack schedstat (its threads are gone when its line arrives).
            r.corrected = !outside.corrected.isEmpty() && during.corrected.size() == during.wall.size();
            r.computeIpsDuring = median(r.corrected ? during.corrected : during.wall);
            r.computeIpsOutside = median(r.corrected ? outside.corrected : outside.wall);
            r.computeWallDuring = median(during.wall);
            r.computeWallOutside = median(outside.wall);
            r.computeRunShareDuring = median(during.runShare);
            r.computeRunShareOutside = median(outside.runShare);
            r.writerMbpsAfter = median(after);
            // The lowest second: the throttle engages only after the trigger, part-way through.
            r.writerMbpsDuring = writerDuring.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            return r;
        }

        /** The compute vCPU's seconds in one window: wall-clock rates, and where schedstat covers them, corrected ones. */
        static final class Window {
            final List<Double> wall = new ArrayList<>();
            final List<Double> corrected = new ArrayList<>();
            final List<Double> runShare = new ArrayList<>();

            void add(double wallIps, long[] before, long[] now) {
                wall.add(wallIps);
                if (before == null || now == null) {
                    return; // the child's last second: its threads are gone when the line arrives
                }
                long ranNanos = now[0] - before[0];
                long waitedNanos = now[1] - before[1];
                long wallNanos = now[2] - before[2];
                corrected.add(offRunQueueIps(wallIps, waitedNanos));
                runShare.add(Math.min(1.0, ranNanos / (double) Math.max(wallNanos - waitedNanos, 1)));
            }
        }

        private void readJson(String text) {
            json = text;
            Matcher m = JSON_NUMBER.matcher(text);
            while (m.find()) {
                switch (m.group(1)) {
                    case "converged" -> converged = Boolean.parseBoolean(m.group(2));
                    case "total_ms" -> totalMs = Long.parseLong(m.group(2));
                    case "downtime_ms" -> downtimeMs = Long.parseLong(m.group(2));
                    case "passes" -> passes = Long.parseLong(m.group(2));
                    case "identical" -> identical = m.group(2);
                    default -> { }
                }
            }
        }

        /**
         * A second's instruction rate over the time the vCPU was not waiting for a CPU: instructions /
         * (1 s - run-queue wait). Time it slept (a throttle) stays in the denominator, time it could not
         * run because other threads had the CPUs does not.
         */
        static double offRunQueueIps(double wallIps, long runQueueWaitNanos) {
            double available = Math.max(1e9 - runQueueWaitNanos, 1e7) / 1e9;
            return wallIps / available;
        }

        static double median(List<Double> values) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        /** Instructions per second off the run queue during / outside (wall-clock ones without schedstat). */
        double computeRatio() {
            return computeIpsDuring / computeIpsOutside;
        }

        double computeWallRatio() {
            return computeWallDuring / computeWallOutside;
        }

        /** The run share during / outside: how much the throttle's sleeps alone slowed the compute vCPU. */
        double computeRunShareRatio() {
            return computeRunShareDuring / computeRunShareOutside;
        }

        String line() {
            if (json == null) {
                return String.format(Locale.ROOT, "%-14s no migration result (child stderr: %s)", mode, stderr.strip());
            }
            return String.format(Locale.ROOT, "%-14s %-9s %8d %11d %6d %9s %22.0f %18.2f", mode, converged, totalMs, downtimeMs,
                    passes, identical, computeIpsDuring / 1e6, computeRatio())
                    + String.format(Locale.ROOT, " %18.0f %13.0f %10.2f %15.2f %s", writerMbpsDuring, writerMbpsAfter,
                    computeWallRatio(), computeRunShareRatio(), corrected ? "schedstat" : "wall-clock");
        }
    }
}
