package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The toy VM without its dirty ring (--ring 0): no ring-full exits, so throttle points come every quantum of pages. */
class RingOffToyVmIT {

    @Test
    void dirtyPageProfileAtStartUp() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(ToyVmProcess.javaagent("profile=toyvm-bitmap,limit=5")),
                "--vcpus", "2", "--ring", "0", "--dirty-rate", "50", "--stats", "csv")) {
            double[] means = vm.awaitRates(5, 10, 0, 0, 1);
            System.out.printf("ring 0, dirty-page profile, limit=5: %.2f / %.2f MB/s (unthrottled 50)%n", means[0], means[1]);
        }
    }

    @Test
    void storeProfileByAttachAndDetach() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(),
                "--vcpus", "2", "--ring", "0", "--dirty-rate", "50", "--stats", "csv")) {
            vm.awaitSeconds(2);
            ForkedJvm.Finished attach = AgentCli.run("attach", Long.toString(vm.pid()), "profile=toyvm-store,limit=5");
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            assertThat(attach.outText()).contains("instruments io.dirtylimit.examples.toyvm.GuestMemory.write64(long, long)");
            double[] means = vm.awaitRates(5, 10, vm.lastSecond() + 1, 0, 1);

            assertThat(AgentCli.run("detach", Long.toString(vm.pid())).exitCode()).isZero();
            double[] released = vm.awaitRates(50, 15, vm.lastSecond() + 1, 0, 1);
            System.out.printf("ring 0, store profile by attach, limit=5: %.2f / %.2f MB/s; detached: %.1f / %.1f MB/s%n",
                    means[0], means[1], released[0], released[1]);
        }
    }
}
