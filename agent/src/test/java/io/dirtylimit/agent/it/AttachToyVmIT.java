package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dynamic attach to a running toy VM: limits take effect, detach restores the original class bytes
 * and the unthrottled rates, attaching again works and a further attach applies new options.
 */
class AttachToyVmIT {
    private static final String VCPU_CLASS = "io.dirtylimit.examples.toyvm.Vcpu";

    @Test
    void attachDetachAndAttachAgain() throws Exception {
        Path scratch = ItPaths.scratch();
        Path probe = ClassBytesProbe.writeJar(scratch.resolve("probe-attach.jar"));
        Path dump = scratch.resolve("vcpu-attach.class");
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(),
                "--vcpus", "2", "--dirty-rate", "400", "--stats", "csv")) {
            vm.awaitSeconds(2);
            double[] unthrottled = {vm.measure(0), vm.measure(1)};
            byte[] original = ClassBytesProbe.bytesIn(vm.pid(), VCPU_CLASS, probe, dump);

            ForkedJvm.Finished attach = AgentCli.run("attach", Long.toString(vm.pid()), "limit=150");
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            assertThat(attach.outText()).contains(
                    "installed (by attach), profile toyvm",
                    "bridge: defined in the bootstrap class loader",
                    "instruments io.dirtylimit.examples.toyvm.Vcpu.handleRingFull()",
                    "instruments io.dirtylimit.examples.toyvm.Vcpu.pageDirtied(long)",
                    "limits: all vCPUs 150 MB/s",
                    "result: ok");
            int attachedAt = vm.lastSecond();
            double[] limited = vm.awaitRates(150, 10, attachedAt + 1, 0, 1);
            byte[] hooked = ClassBytesProbe.bytesIn(vm.pid(), VCPU_CLASS, probe, dump);
            assertThat(ClassBytes.canonical(hooked)).isNotEqualTo(ClassBytes.canonical(original));
            assertThat(new String(hooked, StandardCharsets.ISO_8859_1)).contains("io/dirtylimit/bridge/Bridge");

            ForkedJvm.Finished detach = AgentCli.run("detach", Long.toString(vm.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(detach.outText()).contains("original bytecode restored in 1 class(es): " + VCPU_CLASS, "result: ok");
            int detachedAt = vm.lastSecond();
            double[] released = {
                vm.awaitFree(0, unthrottled[0], 15, detachedAt + 1),
                vm.awaitFree(1, unthrottled[1], 15, detachedAt + 1)};
            byte[] restored = ClassBytesProbe.bytesIn(vm.pid(), VCPU_CLASS, probe, dump);
            assertThat(ClassBytes.canonical(restored)).as("class after detach: members and code")
                    .isEqualTo(ClassBytes.canonical(original));
            assertThat(new String(ClassBytes.canonical(restored), StandardCharsets.ISO_8859_1)).doesNotContain("io/dirtylimit/bridge/");

            ForkedJvm.Finished again = AgentCli.run("attach", Long.toString(vm.pid()), "profile=toyvm,limit=150");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.outText()).contains("installed (by attach)", "bridge: already on the bootstrap class loader (reused)");
            double[] relimited = vm.awaitRates(150, 10, vm.lastSecond() + 1, 0, 1);

            ForkedJvm.Finished retune = AgentCli.run("attach", Long.toString(vm.pid()), "limit=100");
            assertThat(retune.exitCode()).as(retune.toString()).isZero();
            assertThat(retune.outText()).contains("the agent is already active", "applying the new options, hooks unchanged",
                    "limits: all vCPUs 100 MB/s");
            double[] retuned = vm.awaitRates(100, 10, vm.lastSecond() + 1, 0, 1);

            assertThat(AgentCli.run("detach", Long.toString(vm.pid())).exitCode()).isZero();
            System.out.printf("attach: unthrottled %.1f/%.1f, limit 150 -> %.1f/%.1f, detached -> %.1f/%.1f,"
                            + " re-attached 150 -> %.1f/%.1f, re-tuned 100 -> %.1f/%.1f MB/s%n",
                    unthrottled[0], unthrottled[1], limited[0], limited[1], released[0], released[1],
                    relimited[0], relimited[1], retuned[0], retuned[1]);
        }
    }

    @Test
    void detachingWhereTheAgentIsNotActiveIsHarmless() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(), "--vcpus", "1", "--dirty-rate", "50", "--stats", "csv")) {
            vm.awaitSeconds(1);
            ForkedJvm.Finished detach = AgentCli.run("detach", Long.toString(vm.pid()));
            assertThat(detach.exitCode()).isZero();
            assertThat(detach.outText()).contains("not active in process " + vm.pid() + ": nothing to detach");
        }
    }
}
