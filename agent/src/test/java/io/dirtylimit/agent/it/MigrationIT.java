package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, end to end: the migration demo (io.dirtylimit.agent.MigrationDemo, in the agent jar)
 * migrates the same toy VM three times in child JVMs: 32 MiB guest, two seq writers at 200 MB/s
 * each, a compute-only vCPU 2, a 64 MB/s link, 50 ms downtime limit, 8 s to converge.
 */
class MigrationIT {

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

    /**
     * The governor switched in a running toy VM through the tool: {@code migration PID} shows it off,
     * {@code migration PID auto} turns it on, and the next migration of a guest that dirties far more
     * than the link carries converges under its steps; {@code migration PID off} switches it off again.
     */
    @Test
    void theToolSwitchesTheMigrationModeOfARunningEmulator() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM,
                List.of(ToyVmProcess.javaagent("profile=toyvm,quantum=64,migration-period=200ms,log=info")),
                "--mem", "32M", "--vcpus", "3", "--workload", "seq,2:compute", "--dirty-rate", "200", "--stats", "csv")) {
            String pid = Long.toString(vm.pid());
            vm.awaitSeconds(1);
            ForkedJvm.Finished off = AgentCli.run("migration", pid);
            assertThat(off.exitCode()).as(off.toString()).isZero();
            assertThat(off.out()).containsExactly("migration: off; idle; in force: none; last: no migration seen");

            ForkedJvm.Finished bad = AgentCli.run("migration", pid, "fast");
            assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
            assertThat(bad.err()).containsExactly("dirtylimit: migration mode 'fast' is not one of off, auto, fit, qemu, auto-converge");

            ForkedJvm.Finished on = AgentCli.run("migration", pid, "auto");
            assertThat(on.exitCode()).as(on.toString()).isZero();
            assertThat(on.out()).containsExactly("migration mode fit set in process " + pid,
                    "migration: fit, trigger 50 % of bytes sent, twice in a row, period 200ms, budget 40 % of the link,"
                            + " floor 1.0 MB/s; idle; in force: none; last: no migration seen");

            // 400 MB/s of writers, a 64 MB/s link: only the governor's limits make it converge.
            vm.jvm.send("migrate bandwidth=64 downtime=50 max-passes=1000 max-seconds=8");
            String json = awaitMigrationResult(vm);
            assertThat(json).contains("\"converged\":true", "\"identical\":true");
            assertThat(vm.agentLines()).anyMatch(l -> l.startsWith("dirtylimit: migration: throttle step 1: vCPU limits 0: "))
                    .anyMatch(l -> l.contains("throttle lifted"));

            ForkedJvm.Finished after = AgentCli.run("migration", pid);
            assertThat(after.exitCode()).as(after.toString()).isZero();
            assertThat(after.outText()).contains("migration: fit, ", "; idle; in force: none; last: ", "throttle lifted");
            ForkedJvm.Finished offAgain = AgentCli.run("migration", pid, "off");
            assertThat(offAgain.exitCode()).as(offAgain.toString()).isZero();
            assertThat(offAgain.out()).first().isEqualTo("migration mode off set in process " + pid);
            assertThat(offAgain.out().get(1)).startsWith("migration: off; idle; in force: none");
        }
    }

    private static String awaitMigrationResult(ToyVmProcess vm) {
        String[] json = new String[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .failFast("the emulator died: " + vm.jvm.tail(), () -> !vm.jvm.isAlive())
                .until(() -> {
                    json[0] = vm.jvm.out().stream().filter(l -> l.contains("\"converged\"")).findFirst().orElse(null);
                    return json[0] != null;
                });
        return json[0];
    }

    private static List<String> runDemo(String modes) throws Exception {
        List<String> cmd = List.of(ItPaths.java(), "-cp", ItPaths.agentJar().toString(), "io.dirtylimit.agent.MigrationDemo",
                "--toyvm", ItPaths.examplesClasspath().toString(), "--java", ItPaths.java(), "--modes", modes, "--migration-period", "200ms");
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
}
