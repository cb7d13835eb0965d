package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The migration governor in a running toy VM, switched through the command-line tool. (The migration
 * demo and its test, comparing the modes on the same guest, are in the bench module: MigrationDemoIT.)
 */
class MigrationIT {

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
                            + " floor 1 MB/s; idle; in force: none; last: no migration seen");

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
}
