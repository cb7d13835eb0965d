package io.dirtylimit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dirtylimit.core.migration.MigrationMode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, end to end: the migration demo ({@link MigrationDemo}, in the bench module) migrates the
 * same toy VM three times in child JVMs: 32 MiB guest, two seq writers at 200 MB/s each, a
 * compute-only vCPU 2, a 64 MB/s link, 50 ms downtime limit, 8 s to converge. The demo runs in a
 * child JVM of its own, on the bench and core classes, with the built toy VM and agent jars.
 */
class MigrationDemoIT {

    /** One line of the demo's table. */
    record Row(String mode, boolean converged, long totalMs, long downtimeMs, long passes, String identical,
               double computeIpsM, double computeRatio, double writerDuring, double writerAfter, double computeWallRatio,
               double computeRunShareRatio, String rateSource) {
        static Row parse(String line) {
            String[] f = line.trim().split("\\s+");
            return new Row(f[0], Boolean.parseBoolean(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    f[5], Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]),
                    Double.parseDouble(f[10]), Double.parseDouble(f[11]), f[12]);
        }
    }

    @Test
    void theDirtyLimitMakesTheMigrationConvergeWithoutSlowingTheComputeVcpu() throws Exception {
        // A 200 ms trigger period (each 0.5 s pass is a period): a throttle step every second, so the
        // auto-converge baseline climbs high enough within the 8 s to show clearly.
        List<String> out = runDemo("none,auto-converge,fit");
        String table = String.join("\n", out);
        Map<String, Row> rows = new HashMap<>();
        for (String line : out) {
            if (line.startsWith("none ") || line.startsWith("auto-converge ") || line.startsWith("fit ")) {
                Row row = Row.parse(line);
                rows.put(row.mode(), row);
            }
        }
        assertThat(rows).as(table).containsKeys("none", "auto-converge", "fit");
        Row none = rows.get("none");
        Row autoConverge = rows.get("auto-converge");
        Row fit = rows.get("fit");

        // Without the agent the writers dirty far more than the link carries: no convergence.
        assertThat(none.converged()).as(table).isFalse();
        // With migration=auto it converges and the destination is byte-identical.
        assertThat(fit.converged()).as(table).isTrue();
        assertThat(fit.identical()).as(table).isEqualTo("true");
        // The writers are free again after it (the limits are gone): back near their 200 MB/s.
        assertThat(fit.writerAfter()).as(table).isGreaterThan(150);
        // The dirty limit never touches the compute-only vCPU: the governor limited the writers only, and
        // lifted its limits before the stop-and-copy.
        List<String> steps = out.stream().filter(l -> l.startsWith("    fit agent: throttle step")).toList();
        assertThat(steps).as(table).isNotEmpty().allMatch(l -> l.contains(" 0: ") && l.contains(" 1: ")
                && !l.matches(".*vCPU limits [^(]*\\b2: .*"));
        assertThat(out).as(table).anyMatch(l -> l.startsWith("    fit agent: ") && l.contains("throttle lifted"));
        // The auto-converge baseline reached 50 % (a step a second with the 200 ms trigger period).
        assertThat(out).as(table).anyMatch(l -> l.startsWith("    auto-converge agent: throttle step 4: CPU throttle 50 %"));
        assertThat(autoConverge.writerAfter()).as(table).isGreaterThan(150);

        // The compute vCPU, from its thread's schedstat (the same run's seconds outside the migration as the
        // reference): the share of its time off the run queue that it ran, i.e. did not sleep in a throttle.
        // Contention for the 2 CPUs is not in it (run-queue wait), nor the CPU's speed per on-CPU second, which
        // swings by 20-40 % within a run here (other processes on the host; C2 recompiling the guest interpreter,
        // shared by all vCPUs, when the writers start to be throttled); the instruction rates are printed.
        assumeTrue(fit.rateSource().equals("schedstat") && autoConverge.rateSource().equals("schedstat"),
                "no /proc/PID/task/TID/schedstat here: the demo fell back to wall-clock rates\n" + table);
        // Under the dirty limit it ran as before (measured 0.99-1.00 in 8 runs, 3 of them with a `yes` hogging a CPU) ...
        assertThat(fit.computeRunShareRatio()).as(table).isGreaterThanOrEqualTo(0.90);
        // ... under auto-converge it slept (0.42-0.58 in the same runs; the throttle climbs 20 % -> 80 % meanwhile),
        assertThat(autoConverge.computeRunShareRatio()).as(table).isLessThan(0.85);
        // and its instruction rate off the run queue fell with it (0.41-0.56).
        assertThat(autoConverge.computeRatio()).as(table).isLessThan(0.8);
    }

    private static List<String> runDemo(String modes) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = codeSource(MigrationDemo.class) + File.pathSeparator + codeSource(MigrationMode.class);
        List<String> cmd = List.of(java, "-cp", classpath, MigrationDemo.class.getName(), "--repo", repo().toString(),
                "--java", java, "--modes", modes, "--migration-period", "200ms");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        List<String> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                out.add(line);
            }
        }
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("demo finished").isTrue();
        assertThat(p.exitValue()).as(String.join("\n", out)).isZero();
        return out;
    }

    /** The repository root, where the built toy VM and agent jars are (set by the build). */
    private static Path repo() {
        return Path.of(System.getProperty("dirtylimit.repo.dir", "..")).toAbsolutePath().normalize();
    }

    private static String codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
