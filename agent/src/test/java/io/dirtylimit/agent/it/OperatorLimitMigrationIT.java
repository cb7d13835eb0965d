package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's story, end to end: an operator sets vCPU 0 to 100 MB/s with the tool on a toy VM started
 * with {@code migration=auto}, then a migration runs; the governor engages (on vCPU 1 only), lifts its
 * own throttle when the migration is done, and the operator's limit stays: the tool's query and the
 * toy VM's own CSV both show vCPU 0 at 100 MB/s afterwards, and vCPU 1 free again.
 */
class OperatorLimitMigrationIT {

    @Test
    void theOperatorsSetSurvivesAGovernedMigration() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM,
                List.of(ToyVmProcess.javaagent("profile=toyvm,migration=auto,quantum=64,migration-period=200ms,log=info")),
                "--mem", "32M", "--vcpus", "2", "--dirty-rate", "400", "--stats", "csv")) {
            String pid = Long.toString(vm.pid());
            vm.awaitSeconds(1);
            ForkedJvm.Finished set = AgentCli.run("set", pid, "--cpu", "0", "100");
            assertThat(set.exitCode()).as(set.toString()).isZero();
            assertThat(set.out()).containsExactly("dirty limit 100 MB/s set for vCPU 0 of process " + pid);
            double before = vm.awaitRates(100, 15, vm.lastSecond() + 1, 0)[0];

            // 100 + 400 MB/s of writers on a 400 MB/s link: the governor must step in to converge.
            vm.jvm.send("migrate bandwidth=400 downtime=50 max-passes=1000 max-seconds=20");
            String result = awaitMigrationResult(vm);
            int endedAt = vm.lastSecond();
            List<String> steps = vm.agentLines().stream().filter(l -> l.startsWith("dirtylimit: migration: throttle step")).toList();
            assertThat(steps).as("the governor engaged, on vCPU 1 only\n%s\n%s", result, vm.jvm.tail()).isNotEmpty()
                    .allMatch(l -> l.contains("vCPU limits 1: ") && !l.matches(".*vCPU limits [^(]*\\b0: .*"));
            assertThat(vm.agentLines()).as("and lifted its own throttle").anyMatch(l -> l.contains("throttle lifted"));

            ForkedJvm.Finished query = AgentCli.run("query", pid, "--json");
            assertThat(query.exitCode()).as(query.toString()).isZero();
            assertThat(query.outText().trim()).as("only the operator's limit is left")
                    .matches("\\{\"return\": \\[\\{\"cpu-index\": 0, \"limit-rate\": 100, \"current-rate\": \\d+, \"enabled\": true,"
                            + " \"sleep-ns-per-throttle-point\": \\d+, \"throttle-points\": \\d+, \"set-by\": \"operator\","
                            + " \"pending\": false}]}");
            ForkedJvm.Finished status = AgentCli.run("status", pid);
            assertThat(status.outText()).contains("limits: vCPU 0 100 MB/s", "; idle; in force: none;");

            double after = vm.awaitRates(100, 15, endedAt + 1, 0)[0];
            int settled = vm.lastSecond() - ToyVmProcess.WINDOW;
            vm.awaitRate(1, settled, mbps -> mbps > 200, "free again: far above the governor's limit and the operator's 100");
            System.out.printf("operator limit through a governed migration: vCPU 0 %.1f MB/s before, %.1f after; vCPU 1 after %s;"
                    + " %d throttle step(s); %s%n", before, after, RateCsv.last(vm.jvm.out(), 1, 3), steps.size(), result);
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
}
