package io.dirtylimit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The toy VM's guest instruction rate with the agent attached (no limit) as a ratio to without it,
 * per hook role, both measured in the same run.
 *
 * <p>For each case (a workload that exercises one hook role flat out, and a profile that hooks it)
 * and each round, it runs the toy VM twice in child JVMs, without the agent and with
 * {@code -javaagent:...=profile=P}, one VM at a time with one vCPU, in A/B order on even rounds and
 * B/A on odd ones, so that machine noise and drift hit both sides alike. A run's rate is the guest
 * instructions the VM itself reports for the seconds after the first ones (JIT warm-up), per second
 * of CPU time its vCPU thread used meanwhile (read from /proc as each second's line arrives), and per
 * second of wall-clock time. The ratio of a round is hooked / baseline; the table shows the median over
 * rounds and its spread (interquartile range). The verdict is on the CPU-time rates: the hooks run on
 * the vCPU thread, so their cost is all there, while time that other processes take the CPU away,
 * which on a shared 2-core machine dwarfs it, is not.
 *
 * <p>Why many short rounds rather than a few long ones: the toy VM's instruction rate varies from
 * one JVM to the next by tens of percent for the same options (even the compute workload, which
 * touches no memory: code and data placement decided at start-up), and a busy machine adds its own
 * noise. Each run draws afresh; only the median over many pairs separates a hook's cost from that.
 *
 * <pre>java -cp bench/target/dirtylimit-bench.jar io.dirtylimit.bench.ToyVmOverhead [--rounds N] [--seconds S]</pre>
 *
 * Exit status: 0 when every case meets its target, 1 when one misses, 2 on bad options or a failed run.
 */
public final class ToyVmOverhead {
    static final String USAGE = """
            usage: java -cp bench/target/dirtylimit-bench.jar io.dirtylimit.bench.ToyVmOverhead [options]
              --rounds N      A/B pairs per case (11)
              --seconds S     length of each toy VM run (6)
              --skip S        seconds of each run left out, JIT warm-up (2)
              --cases LIST    comma-separated, from: %s (targets,control)
              --repo DIR      repository root holding examples/target/toyvm.jar and agent/target/dirtylimit-agent.jar
                              (default: found above the bench jar or the working directory)
              --toyvm JAR     the toy VM jar (REPO/%s)
              --agent JAR     the agent jar (REPO/%s)
              --java PATH     java launcher of the child JVMs (this JVM's)
              --prefix CMD    run each child JVM under CMD, split on blanks, e.g. 'taskset -c 1' (none)
            """;

    private ToyVmOverhead() {}

    /** Options of one run of the benchmark. */
    static final class Options {
        int rounds = 11;
        int seconds = 6;
        /**
         * Two, not one: with the agent, the JVM compiles Byte Buddy's start-up code first (some 1200
         * more compilations), and the toy VM's interpreter loop reaches C2 one to two seconds later
         * than without it; a first measured second still partly in C1 code would be charged to the hooks.
         */
        int skip = 2;
        List<OverheadCase> cases = OverheadCase.select("targets,control");
        Path repo;
        Path toyVm;
        Path agent;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> prefix = List.of();
        boolean help;

        static Options parse(String... args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    options.help = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg.startsWith("--") ? "option " + arg + " needs a value" : "unexpected argument '" + arg + "'");
                }
                String value = args[++i];
                switch (arg) {
                    case "--rounds" -> options.rounds = positive(arg, value, 1);
                    case "--seconds" -> options.seconds = positive(arg, value, 1);
                    case "--skip" -> options.skip = positive(arg, value, 0);
                    case "--cases" -> options.cases = OverheadCase.select(value);
                    case "--repo" -> options.repo = Path.of(value);
                    case "--toyvm" -> options.toyVm = Path.of(value);
                    case "--agent" -> options.agent = Path.of(value);
                    case "--java" -> options.java = value;
                    case "--prefix" -> options.prefix = List.of(value.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "' (--help lists them)");
                }
            }
            if (options.seconds <= options.skip) {
                throw new IllegalArgumentException("--seconds " + options.seconds + " leaves nothing after --skip " + options.skip);
            }
            return options;
        }

        private static int positive(String option, String value, int least) {
            try {
                int n = Integer.parseInt(value);
                if (n >= least) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("option " + option + " needs a whole number, at least " + least + ", not '" + value + "'");
        }
    }

    /** One case's measurements: per round, the baseline and the hooked run's rates. */
    record Result(OverheadCase c, ToyVmRun.Rates[] baseline, ToyVmRun.Rates[] hooked) {

        /** Per round, hooked / baseline instruction rate per second of vCPU CPU time; null if a reading is missing. */
        double[] cpuRatios() {
            double[] ratios = new double[baseline.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = hooked[i].cpuIps() / baseline[i].cpuIps();
                if (!Double.isFinite(ratios[i])) {
                    return null;
                }
            }
            return ratios;
        }

        /** Per round, hooked / baseline instruction rate per second of wall-clock time. */
        double[] wallRatios() {
            double[] ratios = new double[baseline.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = hooked[i].wallIps() / baseline[i].wallIps();
            }
            return ratios;
        }

        /** Whether the verdict is on the CPU-time rates (else on the wall-clock rates: no CPU readings). */
        boolean byCpu() {
            return cpuRatios() != null;
        }

        /** The ratios the verdict is on. */
        Stats ratio() {
            return Stats.of(byCpu() ? cpuRatios() : wallRatios());
        }

        Stats wallRatio() {
            return Stats.of(wallRatios());
        }

        /** Median rate of the baseline (or hooked) runs, in the verdict's unit. */
        double medianIps(boolean ofHooked) {
            ToyVmRun.Rates[] runs = ofHooked ? hooked : baseline;
            return Stats.of(java.util.Arrays.stream(runs).mapToDouble(r -> byCpu() ? r.cpuIps() : r.wallIps()).toArray()).median();
        }

        /** Median share of a CPU the vCPU thread got, over all runs of the case; NaN if unknown. */
        double medianCpuShare() {
            double[] shares = java.util.stream.Stream.concat(java.util.Arrays.stream(baseline), java.util.Arrays.stream(hooked))
                    .mapToDouble(ToyVmRun.Rates::cpuShare).filter(Double::isFinite).toArray();
            return shares.length == 0 ? Double.NaN : Stats.of(shares).median();
        }

        boolean pass() {
            return ratio().median() >= c.target();
        }

        /** PASS or MISS, with a '*' when the target lies inside the interquartile range of the round ratios. */
        String verdict() {
            return (pass() ? "PASS" : "MISS") + (ratio().quartilesStraddle(c.target()) ? "*" : "");
        }
    }

    public static void main(String[] args) {
        Options options;
        RepoJars jars;
        try {
            options = Options.parse(args);
            if (options.help) {
                System.out.print(usage());
                return;
            }
            jars = RepoJars.locate(options.repo, options.toyVm, options.agent);
        } catch (IllegalArgumentException e) {
            System.err.println("ToyVmOverhead: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            List<Result> results = run(options, jars, System.out);
            System.out.println();
            printTable(results, System.out);
            System.exit(results.stream().filter(r -> OverheadCase.TARGETS.contains(r.c())).allMatch(Result::pass) ? 0 : 1);
        } catch (IOException | RuntimeException e) {
            System.err.println("ToyVmOverhead: " + e.getMessage());
            System.exit(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(2);
        }
    }

    static String usage() {
        return String.format(Locale.ROOT, USAGE, OverheadCase.ids(), RepoJars.TOYVM, RepoJars.AGENT);
    }

    /** Measures every case, round by round, printing each pair as it completes. */
    static List<Result> run(Options options, RepoJars jars, PrintStream out) throws IOException, InterruptedException {
        Path scratch = BenchProfiles.tempDir();
        List<String> launcher = new ArrayList<>(options.prefix);
        launcher.add(options.java);
        ToyVmRun runner = new ToyVmRun(launcher, jars, scratch, options.seconds, options.skip);
        List<String> profiles = new ArrayList<>();
        for (OverheadCase c : options.cases) {
            profiles.add(c.isControl() ? null : BenchProfiles.resolve(c.profile(), scratch));
        }
        out.printf(Locale.ROOT, "toy VM overhead: %d case(s) x %d round(s) of A/B pairs, %d s runs (first %d s skipped), "
                + "1 vCPU, one VM at a time%n", options.cases.size(), options.rounds, options.seconds, options.skip);
        out.printf(Locale.ROOT, "java %s; toy VM %s; agent %s%n", options.java, jars.toyVm(), jars.agent());
        int example = profiles.get(0) != null || profiles.size() == 1 ? 0 : 1;
        out.println("example: " + String.join(" ", runner.command(options.cases.get(example), profiles.get(example))));
        out.println("load average at start: " + loadAverage());
        int n = options.cases.size();
        ToyVmRun.Rates[][] baseline = new ToyVmRun.Rates[n][options.rounds];
        ToyVmRun.Rates[][] hooked = new ToyVmRun.Rates[n][options.rounds];
        for (int round = 0; round < options.rounds; round++) {
            for (int i = 0; i < n; i++) {
                OverheadCase c = options.cases.get(i);
                boolean baselineFirst = round % 2 == 0;
                if (baselineFirst) {
                    baseline[i][round] = runner.run(c, null);
                    hooked[i][round] = runner.run(c, profiles.get(i));
                } else {
                    hooked[i][round] = runner.run(c, profiles.get(i));
                    baseline[i][round] = runner.run(c, null);
                }
                ToyVmRun.Rates base = baseline[i][round];
                ToyVmRun.Rates hook = hooked[i][round];
                out.printf(Locale.ROOT, "round %d/%d %-17s per CPU-s: baseline %s hooked %s ratio %.3f | per wall-s: baseline %s "
                        + "hooked %s ratio %.3f | vCPU CPU share %.2f %.2f%n", round + 1, options.rounds, c.id(),
                        mips(base.cpuIps()), mips(hook.cpuIps()), hook.cpuIps() / base.cpuIps(),
                        mips(base.wallIps()), mips(hook.wallIps()), hook.wallIps() / base.wallIps(), base.cpuShare(), hook.cpuShare());
                out.flush();
            }
        }
        out.println("load average at end: " + loadAverage());
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(new Result(options.cases.get(i), baseline[i], hooked[i]));
        }
        return results;
    }

    static void printTable(List<Result> results, PrintStream out) {
        String format = "%-22s %-18s %-15s %9s %9s %6s %-12s %6s %-12s %5s %6s  %s%n";
        out.printf(Locale.ROOT, format, "role", "workload", "profile", "baseline", "hooked", "ratio", "IQR", "wall", "wall IQR",
                "cpu", "target", "result");
        for (Result r : results) {
            Stats ratio = r.ratio();
            Stats wall = r.wallRatio();
            out.printf(Locale.ROOT, format, r.c().role(), r.c().workload(), r.c().isControl() ? "(no agent)" : r.c().profile(),
                    mips(r.medianIps(false)), mips(r.medianIps(true)),
                    String.format(Locale.ROOT, "%.3f", ratio.median()),
                    String.format(Locale.ROOT, "%.3f..%.3f", ratio.lowerQuartile(), ratio.upperQuartile()),
                    String.format(Locale.ROOT, "%.3f", wall.median()),
                    String.format(Locale.ROOT, "%.3f..%.3f", wall.lowerQuartile(), wall.upperQuartile()),
                    String.format(Locale.ROOT, "%.2f", r.medianCpuShare()),
                    String.format(Locale.ROOT, "%.2f", r.c().target()), r.verdict() + (r.byCpu() ? "" : " (wall)"));
        }
        out.println("""
                baseline, hooked: median over rounds of the runs' guest instructions per second of vCPU-thread CPU time.
                ratio: median over rounds of hooked / baseline in the same round; IQR: interquartile range of the round
                ratios. wall, wall IQR: the same per second of wall-clock time, which also counts the time other processes
                took the vCPU's CPU away. cpu: median share of a CPU the vCPU thread got. result: the median ratio against
                the target; * : the target lies inside the IQR, the verdict is not firm (run more rounds); (wall): no CPU
                readings (not Linux), the verdict is on wall-clock rates. Target rows run the agent as a user does with no
                limit set (its per-page hooks idle until something needs counts). Diagnostics do not count towards the exit
                status: '(counting)' rows (counting=always: the per-page hooks count as they do while a limit, a calc or a
                watched migration needs it), '(idle)' rows (hooks installed, an empty handler behind the bridge) and the
                control (no agent on either side: its spread is the noise floor).""");
        for (Result r : results) {
            Stats ratio = r.ratio();
            out.printf(Locale.ROOT, "  %-17s ratio min..max %.3f..%.3f over %d rounds%n", r.c().id(), ratio.min(), ratio.max(), ratio.count());
        }
    }

    /** The 1, 5 and 15 minute load averages, or "unknown": how busy the machine was. */
    static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2] + " (" + Runtime.getRuntime().availableProcessors() + " CPUs)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String mips(double ips) {
        return Double.isFinite(ips) ? String.format(Locale.ROOT, "%.1f M", ips / 1e6) : "n/a";
    }
}
