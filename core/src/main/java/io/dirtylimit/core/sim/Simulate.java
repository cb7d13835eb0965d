package io.dirtylimit.core.sim;

import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.GuardMode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs named scenarios under the policies on virtual time and prints their figures of merit.
 *
 * <pre>
 * java -cp dirtylimit-core.jar io.dirtylimit.core.sim.Simulate [--policy NAME|all] [--scenario NAME|all]
 *     [--guard auto|on|off] [--csv|--samples]
 * java -cp dirtylimit-core.jar io.dirtylimit.core.sim.Simulate --list
 * </pre>
 *
 * Deterministic: the same arguments print the same figures on every machine.
 */
public final class Simulate {
    static final String CSV_HEADER =
            "policy,scenario,settle_periods,mean_err_pct,p95_err_pct,overshoot_pct,excess_sleep_pct,worst_window,guard";
    static final String USAGE = String.join("\n",
            "usage: java -cp dirtylimit-core.jar io.dirtylimit.core.sim.Simulate"
                    + " [--policy NAME|all] [--scenario NAME|all] [--guard auto|on|off] [--csv|--samples]",
            "       java -cp dirtylimit-core.jar io.dirtylimit.core.sim.Simulate --list",
            "  --policy    one of " + String.join(", ", DirtyLimiter.policyNames()) + ", or all (default)",
            "  --scenario  one of " + String.join(", ", Scenarios.all().keySet()) + ", or all (default)",
            "  --guard     the limit guarantee (a pacing clock per vCPU under the controller): auto (default:",
            "              on for every policy but qemu and v9), on or off",
            "  --csv       comma-separated lines under a header instead of a table",
            "  --samples   print every period's rate instead: policy,scenario,vcpu,period,rate_mbps,"
                    + "target_mbps,slept_ms",
            "  --list      describe the scenarios and what each policy is given");

    private Simulate() {}

    /** Entry point; exits with 0 on success, 2 on bad arguments. */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command; returns its exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (options.help) {
            out.println(USAGE);
        } else if (options.list) {
            printScenarios(out);
        } else if (options.samples) {
            printSamples(out, options);
        } else {
            printResults(out, options);
        }
        return 0;
    }

    private static void printResults(PrintStream out, Options options) {
        if (options.csv) {
            out.println(CSV_HEADER);
        } else {
            out.println(String.format(Locale.ROOT, "%-7s %-11s %8s %9s %9s %10s %13s %12s %5s",
                    "policy", "scenario", "settle", "mean_err%", "p95_err%", "overshoot%", "excess_sleep%",
                    "worst_window", "guard"));
        }
        for (Scenario scenario : options.scenarios) {
            for (String policy : options.policies) {
                RunResult run = Simulation.run(scenario, policy, options.guard);
                Metrics metrics = Metrics.of(run);
                out.println(options.csv ? csvLine(run, metrics) : tableLine(run, metrics));
            }
        }
    }

    static final String SAMPLES_HEADER = "policy,scenario,vcpu,period,rate_mbps,target_mbps,slept_ms";

    private static void printSamples(PrintStream out, Options options) {
        out.println(SAMPLES_HEADER);
        for (Scenario scenario : options.scenarios) {
            for (String policy : options.policies) {
                RunResult run = Simulation.run(scenario, policy, options.guard);
                long period = scenario.periodNanos();
                for (RunResult.VcpuRun vcpu : run.vcpus()) {
                    for (int k = 0; k < vcpu.pages().length; k++) {
                        out.println(String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%.3f,%.3f", policy, scenario.name(),
                                vcpu.index(), k + 1, vcpu.rateMBps(k, period), vcpu.targetMBps(k),
                                vcpu.sleptNanos()[k] / 1e6));
                    }
                }
            }
        }
    }

    static String csvLine(RunResult run, Metrics m) {
        return String.format(Locale.ROOT, "%s,%s,%s,%.2f,%.2f,%.2f,%.2f,%.3f,%s", run.policy(), run.scenario().name(),
                settle(m), m.meanErrPct(), m.p95ErrPct(), m.overshootPct(), m.excessSleepPct(), m.worstWindow(),
                guard(run));
    }

    private static String tableLine(RunResult run, Metrics m) {
        return String.format(Locale.ROOT, "%-7s %-11s %8s %9.2f %9.2f %10.2f %13.2f %12.3f %5s", run.policy(),
                run.scenario().name(), settle(m), m.meanErrPct(), m.p95ErrPct(), m.overshootPct(),
                m.excessSleepPct(), m.worstWindow(), guard(run));
    }

    private static String guard(RunResult run) {
        return run.guarded() ? "on" : "off";
    }

    private static String settle(Metrics m) {
        return m.settled() ? Integer.toString(m.settlePeriods()) : "never";
    }

    private static void printScenarios(PrintStream out) {
        for (Scenario scenario : Scenarios.all().values()) {
            out.println(String.format(Locale.ROOT, "%-11s %s; %d periods after %d unthrottled",
                    scenario.name(), scenario.description(), scenario.periods(), scenario.warmupPeriods()));
        }
        out.println();
        out.println("qemu runs with ring-full throttle points only (quantum 0), as QEMU does; on virtual time its");
        out.println("chunked sleep lasts exactly as long as QEMU's single uninterruptible sleep. model, pi, linear and");
        out.println("v9 get quantum points (default " + DirtyLimiter.DEFAULT_QUANTUM_PAGES
                + " pages, finer for small limits); v9's own mechanism was a 10 ms time-slice kick.");
        out.println("Simulated vCPUs report at most " + Scenarios.BATCH + " pages per pagesDirtied call.");
        out.println("The limit guarantee (--guard) is on by default for every policy but qemu and v9; under it quantum");
        out.println("points fall at least every 2 ms at the quota. Targets are what an ideal limiter lets through:");
        out.println("the demand clipped at the limit moment by moment. worst_window: the most pages in any 100 ms");
        out.println("window after the limit applied, over what the limit allows in 100 ms.");
    }

    /** Parsed command line. */
    private static final class Options {
        List<String> policies = new ArrayList<>(DirtyLimiter.policyNames());
        List<Scenario> scenarios = new ArrayList<>(Scenarios.all().values());
        GuardMode guard = GuardMode.AUTO;
        boolean csv;
        boolean samples;
        boolean list;
        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--policy" -> options.policies = policies(value(args, ++i, "--policy"));
                    case "--scenario" -> options.scenarios = scenarios(value(args, ++i, "--scenario"));
                    case "--guard" -> options.guard = guard(value(args, ++i, "--guard"));
                    case "--csv" -> options.csv = true;
                    case "--samples" -> options.samples = true;
                    case "--list" -> options.list = true;
                    case "--help", "-h" -> options.help = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            return options;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static GuardMode guard(String name) {
            try {
                return GuardMode.parse(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--guard must be auto, on or off, got '" + name + "'");
            }
        }

        private static List<String> policies(String name) {
            if (name.equals("all")) {
                return new ArrayList<>(DirtyLimiter.policyNames());
            }
            if (!DirtyLimiter.policyNames().contains(name)) {
                throw new IllegalArgumentException("unknown policy '" + name + "' (known: "
                        + String.join(", ", DirtyLimiter.policyNames()) + ", all)");
            }
            return List.of(name);
        }

        private static List<Scenario> scenarios(String name) {
            Map<String, Scenario> all = Scenarios.all();
            if (name.equals("all")) {
                return new ArrayList<>(all.values());
            }
            if (!all.containsKey(name)) {
                throw new IllegalArgumentException("unknown scenario '" + name + "' (known: "
                        + String.join(", ", all.keySet()) + ", all)");
            }
            return List.of(all.get(name));
        }
    }
}
