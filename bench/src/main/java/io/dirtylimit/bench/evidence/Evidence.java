package io.dirtylimit.bench.evidence;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One command that measures every policy against the baselines: the same scenarios in the
 * deterministic simulator and on the toy VM with the agent, the controller's cost at scale, a
 * 64-vCPU toy VM, the hook overhead from the bench module's own tools; writes CSV, markdown
 * tables, PNG charts and {@code RESULTS.md} under the output directory.
 *
 * <pre>java -Djava.awt.headless=true -cp bench/target/dirtylimit-bench.jar io.dirtylimit.bench.evidence.Evidence [--quick] [--out docs]</pre>
 */
public final class Evidence {
    static final String USAGE = """
            usage: java -Djava.awt.headless=true -cp bench/target/dirtylimit-bench.jar io.dirtylimit.bench.evidence.Evidence [options]
              --quick          smoke run: 3 scenarios, short toy VM runs, quick overhead (a minute or two)
              --out DIR        where docs go (docs): DIR/data, DIR/tables, DIR/charts, DIR/RESULTS.md
              --seconds S      length of each toy VM run (8; quick 5)
              --repo DIR       repository root with examples/target/toyvm.jar, agent/target/dirtylimit-agent.jar,
                               bench/target/dirtylimit-bench.jar (default: the working directory)
              --no-overhead    skip the JMH and toy VM overhead tools
            """;

    private Evidence() {}

    /** Command-line options. */
    static final class Options {
        boolean quick;
        boolean overhead = true;
        Path out = Path.of("docs");
        Path repo = Path.of("");
        int seconds = -1;

        static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> o.quick = true;
                    case "--no-overhead" -> o.overhead = false;
                    case "--out" -> o.out = Path.of(value(args, ++i, "--out"));
                    case "--repo" -> o.repo = Path.of(value(args, ++i, "--repo"));
                    case "--seconds" -> o.seconds = seconds(value(args, ++i, "--seconds"));
                    case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + USAGE);
                }
            }
            if (o.seconds < 0) {
                o.seconds = o.quick ? 5 : 8;
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            return args[i];
        }

        private static int seconds(String v) {
            try {
                int s = Integer.parseInt(v);
                if (s >= 3 && s <= 120) {
                    return s;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("--seconds needs a whole number from 3 to 120, not '" + v + "'");
        }
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            new Run(options, System.out).all();
        } catch (IOException | RuntimeException e) {
            System.err.println("Evidence: " + e);
            e.printStackTrace();
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    /** One invocation. */
    static final class Run {
        final Options o;
        final PrintStream log;
        final Path repo;
        final Path toyVm;
        final Path agent;
        final Path benchJar;
        final String java;
        final Path data;
        final Path tables;
        final Path charts;
        final List<EvidenceScenario> scenarios;
        final long started = System.nanoTime();
        final List<String> failures = new ArrayList<>();

        Run(Options o, PrintStream log) {
            this.o = o;
            this.log = log;
            this.repo = o.repo.toAbsolutePath().normalize();
            this.toyVm = require(repo.resolve("examples/target/toyvm.jar"));
            this.agent = require(repo.resolve("agent/target/dirtylimit-agent.jar"));
            this.benchJar = require(repo.resolve("bench/target/dirtylimit-bench.jar"));
            this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            this.data = o.out.resolve("data");
            this.tables = o.out.resolve("tables");
            this.charts = o.out.resolve("charts");
            this.scenarios = o.quick
                    ? EvidenceScenario.ALL.stream().filter(s -> EvidenceScenario.QUICK.contains(s.name())).toList()
                    : EvidenceScenario.ALL;
        }

        private static Path require(Path jar) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException(jar + " not found: run `mvn -B -ntp -q package -DskipTests` at the"
                        + " repository root first, or pass --repo DIR");
            }
            return jar;
        }

        void all() throws IOException, InterruptedException {
            Files.createDirectories(data);
            Files.createDirectories(tables);
            Files.createDirectories(charts);
            Path scratch = Files.createTempDirectory("evidence-");
            try {
                Machine machine = Machine.describe();
                Files.writeString(data.resolve("machine.txt"), machine.text(), StandardCharsets.UTF_8);
                List<Sample> sim = simulate();
                List<Sample> real = onToyVm(scratch);
                List<Sample> all = new ArrayList<>(sim);
                all.addAll(real);
                writeSamples(data.resolve("samples.csv"), all);
                Summary simSummary = Summary.of(sim);
                Summary realSummary = Summary.of(real);
                Files.write(tables.resolve("summary-sim.md"), simSummary.markdown(), StandardCharsets.UTF_8);
                Files.write(tables.resolve("summary-real.md"), realSummary.markdown(), StandardCharsets.UTF_8);
                Files.write(data.resolve("summary.csv"), Summary.csv(simSummary, realSummary), StandardCharsets.UTF_8);
                drawCharts(sim, real, simSummary, realSummary);
                log.println("scale: controller cost per period");
                List<ControllerCost.Row> cost = ControllerCost.measureAll(
                        List.of("model", "pi", "linear", "qemu", "v9"), o.quick ? 20 : 100, o.quick ? 50 : 300);
                List<ManyVcpus.Result> many = manyVcpus(scratch);
                Overhead.Result jmh = null;
                Overhead.Result toy = null;
                Path jmhCsv = data.resolve("jmh-hooks.csv");
                if (o.overhead) {
                    log.println("overhead: JMH hook fast paths (HookFastPathBenchmark)");
                    Files.deleteIfExists(jmhCsv);
                    jmh = Overhead.jmh(java, benchJar, jmhCsv.toAbsolutePath(), o.quick, scratch);
                    Files.write(data.resolve("jmh-hooks.log"), jmh.output(), StandardCharsets.UTF_8);
                    log.println("overhead: toy VM throughput ratios (ToyVmOverhead)");
                    toy = Overhead.toyVm(java, benchJar, repo, o.quick, scratch);
                    Files.write(data.resolve("toyvm-overhead.txt"), toy.output(), StandardCharsets.UTF_8);
                }
                double minutes = (System.nanoTime() - started) / 60e9;
                Results results = new Results(o, machine, scenarios, simSummary, realSummary, cost, many, jmh,
                        jmh == null ? List.of() : Overhead.jmhTable(jmhCsv), toy, minutes, o.out, failures);
                Files.write(o.out.resolve("RESULTS.md"), results.markdown(), StandardCharsets.UTF_8);
                log.printf(Locale.ROOT, "done in %.1f min: %s%n", minutes, o.out.resolve("RESULTS.md"));
            } finally {
                try (var files = Files.list(scratch)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(scratch);
            }
        }

        List<Sample> simulate() {
            List<Sample> samples = new ArrayList<>();
            for (EvidenceScenario s : scenarios) {
                for (Variant v : Variant.ALL) {
                    if (v.simulated()) {
                        samples.addAll(SimRuns.run(s, v));
                    }
                }
            }
            log.println("simulator: " + samples.size() + " samples");
            return samples;
        }

        List<Sample> onToyVm(Path scratch) throws IOException, InterruptedException {
            RealRuns runs = new RealRuns(java, toyVm, agent, scratch);
            List<Sample> samples = new ArrayList<>();
            int total = (int) scenarios.stream().mapToLong(s -> Variant.ALL.stream().filter(v -> v.runsOnToyVm(s.name())).count()).sum();
            int done = 0;
            for (EvidenceScenario s : scenarios) {
                for (Variant v : Variant.ALL) {
                    if (!v.runsOnToyVm(s.name())) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    List<Sample> got = runTwice(runs, s, v);
                    done++;
                    if (got == null) {
                        continue;
                    }
                    samples.addAll(got);
                    log.printf(Locale.ROOT, "toy VM %d/%d: %-10s %-8s %2d samples, last %.1f MB/s (%.1f s)%n", done, total,
                            s.name(), v.label(), got.size(), got.get(got.size() - 1).rateMBps(), (System.nanoTime() - t0) / 1e9);
                }
            }
            return samples;
        }

        /** One retry on a loaded machine; a run that fails twice is left out and listed in RESULTS.md. */
        private List<Sample> runTwice(RealRuns runs, EvidenceScenario s, Variant v) throws IOException, InterruptedException {
            for (int attempt = 1; ; attempt++) {
                try {
                    return runs.run(s, v, o.seconds);
                } catch (IllegalStateException e) {
                    log.println("toy VM run failed (attempt " + attempt + "): " + e.getMessage().lines().findFirst().orElse(""));
                    if (attempt == 2) {
                        failures.add(s.name() + " / " + v.label() + ": " + e.getMessage().lines().findFirst().orElse(""));
                        return null;
                    }
                }
            }
        }

        List<ManyVcpus.Result> manyVcpus(Path scratch) throws IOException, InterruptedException {
            List<ManyVcpus.Result> results = new ArrayList<>();
            List<Sample> all = new ArrayList<>();
            int seconds = o.quick ? 6 : 12;
            for (Variant v : List.of(Variant.ALL.get(0), Variant.ALL.get(3))) {
                log.println("scale: toy VM with 64 vCPUs, " + v.label());
                try {
                    ManyVcpus.Result r = ManyVcpus.run(java, toyVm, agent, scratch, v, seconds);
                    results.add(r);
                    all.addAll(r.samples());
                } catch (IllegalStateException e) {
                    failures.add("vcpus-64 / " + v.label() + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
            writeSamples(data.resolve("vcpus-64.csv"), all);
            return results;
        }

        static void writeSamples(Path file, List<Sample> samples) throws IOException {
            List<String> lines = new ArrayList<>();
            lines.add(Sample.CSV_HEADER);
            samples.forEach(s -> lines.add(s.csv()));
            Files.write(file, lines, StandardCharsets.UTF_8);
        }

        void drawCharts(List<Sample> sim, List<Sample> real, Summary simSummary, Summary realSummary) throws IOException {
            for (EvidenceScenario s : scenarios) {
                for (String source : List.of("sim", "real")) {
                    List<Sample> src = source.equals("sim") ? sim : real;
                    Map<String, List<Sample>> byVariant = new LinkedHashMap<>();
                    for (Variant v : Variant.ALL) {
                        List<Sample> series = src.stream().filter(x -> x.scenario().equals(s.name()) && x.policy().equals(v.label()))
                                .collect(Collectors.toList());
                        if (!series.isEmpty()) {
                            byVariant.put(v.label(), series);
                        }
                    }
                    String where = source.equals("sim") ? "simulator (virtual time, one sample per control period)"
                            : "toy VM + agent (its own statistics, one sample per second)";
                    Charts.rateChart(charts.resolve(source + "-" + s.name() + ".png"),
                            (source.equals("sim") ? "Simulated: " : "Toy VM: ") + s.title(), where, s, byVariant);
                }
            }
            List<String> names = scenarios.stream().map(EvidenceScenario::name).toList();
            List<String> labels = Variant.ALL.stream().map(Variant::label).toList();
            for (String source : List.of("sim", "real")) {
                Summary summary = source.equals("sim") ? simSummary : realSummary;
                double window = source.equals("sim") ? SimRuns.SECONDS : o.seconds;
                String who = source.equals("sim") ? "simulator" : "toy VM";
                Charts.barChart(charts.resolve(source + "-settle.png"), "Settling time per policy (" + who + ")",
                        "time until every later sample stays within 5 % of the limit; a bar at " + RealRuns.fmt(window)
                                + " s (the run's length) means never",
                        "settling time (s)", names, labels, summary.metric(SeriesMetrics::settleSeconds), window, window);
                Charts.barChart(charts.resolve(source + "-error.png"), "Mean error per policy (" + who + ")",
                        "mean |rate - target| in the steady part, % of the limit; bars capped at 100 %", "mean error (% of limit)",
                        names, labels, summary.metric(SeriesMetrics::meanErrPct), 100, 100);
            }
            log.println("charts written to " + charts);
        }
    }
}
