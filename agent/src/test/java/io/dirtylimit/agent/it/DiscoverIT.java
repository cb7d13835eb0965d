package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code discover} against the three example emulators, started without the agent, as a new user
 * would meet them: the draft profile it prints, used as it is, holds a limit within 10 % by the
 * emulator's own CSV; after the discover the probed classes carry their original bytes and the
 * emulator runs at its rate from before. Each test prints the time from the discover to the limit
 * holding.
 */
class DiscoverIT {
    static final String TENANTVM = "io.dirtylimit.examples.tenants.TenantVm";

    @Test
    void toyVmWithoutItsRing() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(),
                "--vcpus", "2", "--ring", "0", "--dirty-rate", "100", "--stats", "csv")) {
            String draft = discoverAndLimit(vm, "toyvm", 30, List.of("io.dirtylimit.examples.toyvm.GuestMemory",
                    "io.dirtylimit.examples.toyvm.Vcpu"), 0, 1);
            assertThat(draft).contains("\nvcpu-id     thread-name \"vcpu-(\\d+)\"");
            assertThat(hooks(draft)).as(draft).singleElement().isIn(
                    "store       class io.dirtylimit.examples.toyvm.GuestMemory write64(long, long) address=arg0 size=8",
                    "store       class io.dirtylimit.examples.toyvm.Vcpu store(long, long) address=arg0 size=8");
        }
    }

    @Test
    void otherVm() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.OTHERVM, List.of(), "--cpus", "2", "--rate", "80")) {
            String draft = discoverAndLimit(vm, "othervm", 30, List.of("io.dirtylimit.examples.othervm.SystemBus",
                    "io.dirtylimit.examples.othervm.RamBus"), 0, 1);
            assertThat(draft).contains("\nvcpu-id     thread-name \"cpu#(\\d+) worker\"");
            assertThat(hooks(draft)).as(draft).containsExactlyInAnyOrder(
                    "store       class io.dirtylimit.examples.othervm.SystemBus write(long, byte[], int, int) address=arg0 size=arg3",
                    "store       class io.dirtylimit.examples.othervm.RamBus write(long, byte[], int, int) address=arg0 size=arg3");
        }
    }

    /**
     * Three guests, each its own memory object at guest address 0, on a pool of two workers (a guest
     * moves between threads): the draft finds the guests' objects at the same addresses and says
     * {@code vcpu-id space} with {@code space=this}, and {@code end=} for the fill; used as it is,
     * it holds every guest at the limit.
     */
    @Test
    void tenantVmGuestsOnPooledThreads() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(TENANTVM, List.of(), "--guests", "3", "--threads", "2", "--rate", "60")) {
            String draft = discoverAndLimit(vm, "tenantvm", 20, List.of("io.dirtylimit.examples.tenants.LinearMemory"), 0, 1, 2);
            assertThat(draft).contains("\nvcpu-id     space ");
            assertThat(hooks(draft)).as(draft).containsExactlyInAnyOrder(
                    "store       class io.dirtylimit.examples.tenants.LinearMemory write(int, byte[], int, int) address=arg0 size=arg3"
                            + " space=this",
                    "store       class io.dirtylimit.examples.tenants.LinearMemory fill(byte, int, int) address=arg1 end=arg2 space=this");
        }
    }

    /**
     * Measures the emulator's rate, discovers, checks the probed classes' bytes and the rate after,
     * attaches the draft with {@code limit}, waits for the limit to hold; returns the draft.
     */
    private static String discoverAndLimit(ToyVmProcess vm, String name, double limit, List<String> probed, int... vcpus)
            throws Exception {
        vm.awaitSeconds(2);
        double[] before = new double[vcpus.length];
        for (int i = 0; i < vcpus.length; i++) {
            before[i] = vm.measure(vcpus[i]);
        }
        Path scratch = ItPaths.scratch();
        Path probe = ClassBytesProbe.writeJar(scratch.resolve("probe-discover-" + name + ".jar"));
        Path dump = scratch.resolve("discover-" + name + ".class");
        Map<String, byte[]> original = new LinkedHashMap<>();
        for (String type : probed) {
            original.put(type, ClassBytes.canonical(ClassBytesProbe.bytesIn(vm.pid(), type, probe, dump)));
        }
        Path draftFile = scratch.resolve("discover-" + name + ".profile");
        Files.deleteIfExists(draftFile);

        long start = System.nanoTime();
        ForkedJvm.Finished discover = AgentCli.run("discover", Long.toString(vm.pid()), "--draft", draftFile.toString());
        double discoverSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(discover.exitCode()).as(discover.toString()).isZero();
        assertThat(discover.outText()).contains("probes removed: original bytes restored in", "draft saved to");
        assertThat(discover.outText()).doesNotContain("error:", "the draft does not parse");
        String draft = Files.readString(draftFile);
        assertThat(draft).startsWith("# DRAFT profile written by dirtylimit discover");

        for (Map.Entry<String, byte[]> type : original.entrySet()) {
            assertThat(ClassBytes.canonical(ClassBytesProbe.bytesIn(vm.pid(), type.getKey(), probe, dump)))
                    .as("%s after discover", type.getKey()).isEqualTo(type.getValue());
        }
        double[] after = new double[vcpus.length];
        for (int i = 0; i < vcpus.length; i++) {
            after[i] = vm.awaitFree(vcpus[i], before[i], 10, vm.lastSecond());
        }

        ForkedJvm.Finished attach = AgentCli.run("attach", Long.toString(vm.pid()), "profile=" + draftFile + ",limit=" + (long) limit);
        assertThat(attach.exitCode()).as(attach.toString()).isZero();
        double[] limited = vm.awaitRates(limit, 10, vm.lastSecond() + 1, vcpus);
        double endToEnd = (System.nanoTime() - start) / 1e9;
        assertThat(vm.agentLines()).as("nothing from the agent on the emulator's stderr").noneMatch(line -> line.contains("error"));
        System.out.printf("discover %s: before %s MB/s, after discover %s MB/s, draft with limit %.0f -> %s MB/s;"
                        + " discover took %.1f s, discover to limit holding %.1f s%n", name, format(before), format(after),
                limit, format(limited), discoverSeconds, endToEnd);
        return draft;
    }

    private static List<String> hooks(String draft) {
        return draft.lines().filter(line -> line.startsWith("store ")).toList();
    }

    private static String format(double[] rates) {
        List<String> text = new ArrayList<>();
        for (double rate : rates) {
            text.add(String.format("%.1f", rate));
        }
        return text.toString();
    }
}
