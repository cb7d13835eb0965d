package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bad profile, malformed options and failures inside the agent's hooks leave the toy VM running,
 * and its memory intact: the migration's byte-for-byte comparison of source and destination passes.
 */
class RobustnessIT {
    private static final String[] TOYVM_ARGS = {"--vcpus", "2", "--dirty-rate", "200", "--stats", "csv"};

    private static void assertRunsAndMigratesIntact(ToyVmProcess vm) throws Exception {
        int before = vm.lastSecond();
        vm.awaitSeconds(ToyVmProcess.WINDOW);
        vm.awaitRate(0, before, mbps -> mbps > 5, "still dirtying memory");
        String json = vm.migrate();
        assertThat(json).as(vm.jvm.tail()).contains("\"converged\":true", "\"identical\":true");
    }

    @Test
    void aProfileOfClassesThatDoNotExist() throws Exception {
        Path profile = ItPaths.scratch().resolve("nowhere.profile");
        Files.writeString(profile, """
                vcpu-id thread-name "cpu-(\\d+)"
                ring-full  class io.nowhere.Cpu exitRingFull()
                dirty-page implementations-of io.nowhere.Tracker dirtied(long) page=arg0
                """);
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM,
                List.of(ToyVmProcess.javaagent("profile=" + profile + ",limit=10")), TOYVM_ARGS)) {
            assertRunsAndMigratesIntact(vm);
            ForkedJvm.Finished status = AgentCli.run("attach", Long.toString(vm.pid()));
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.outText()).contains(
                    "matched nothing yet: class io.nowhere.Cpu is not loaded",
                    "matched nothing yet: no loaded implementation of io.nowhere.Tracker");
        }
    }

    @Test
    void malformedOptionsPrintOneLineAndInstallNothing() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM,
                List.of(ToyVmProcess.javaagent("profile=toyvm,limit=fast")), TOYVM_ARGS)) {
            assertRunsAndMigratesIntact(vm);
            assertThat(vm.agentLines()).containsExactly(
                    "dirtylimit: bad agent options, nothing installed: limit= rate 'fast' is not a number of MB/s"
                            + " (e.g. 200, 12.5, 512K, 200M, 1G; per second)");
            int afterMigration = vm.lastSecond(); // a fresh window: the migration's stop-and-copy second is no rate
            vm.awaitSeconds(ToyVmProcess.WINDOW);
            vm.awaitRate(0, afterMigration, mbps -> mbps > 150, "not throttled");
        }
    }

    @Test
    void aBrokenProfileFileIsReportedWithFileAndLine() throws Exception {
        Path profile = ItPaths.scratch().resolve("broken.profile");
        Files.writeString(profile, "vcpu-id thread-name \"vcpu-(\\d+)\"\nstore class io.dirtylimit.examples.toyvm.GuestMemory write64(long, long) size=8\n");
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(), TOYVM_ARGS)) {
            vm.awaitSeconds(1);
            ForkedJvm.Finished attach = AgentCli.run("attach", Long.toString(vm.pid()), "profile=" + profile + ",limit=10");
            assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(1);
            assertThat(attach.outText()).contains("error: " + profile + ":2: store needs address=argN", "result: error");
            assertRunsAndMigratesIntact(vm);
        }
    }

    @Test
    void failuresInsideTheHooksAreSuppressedAndCounted() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM,
                List.of(ToyVmProcess.javaagent("profile=toyvm,limit=150,fault-every=50")), TOYVM_ARGS)) {
            assertRunsAndMigratesIntact(vm);
            ForkedJvm.Finished status = AgentCli.run("attach", Long.toString(vm.pid()));
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.outText()).containsPattern("suppressed failures: [1-9][0-9]*")
                    .contains("IllegalStateException: dirtylimit: injected fault (fault-every=50)");
            assertThat(vm.agentLines()).as("one warning per failing hook, not one per failure").hasSizeBetween(1, 3)
                    .allSatisfy(line -> assertThat(line).contains("failed, suppressed (the emulator carries on"));
        }
    }
}
