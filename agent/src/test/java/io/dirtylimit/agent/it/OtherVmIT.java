package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The unseen emulator: stores through an interface, CPUs known only by thread name, no dirty ring.
 * Its profile alone lets the agent throttle it.
 */
class OtherVmIT {

    @Test
    void throttledThroughItsProfileAtStartUpAndByAttach() throws Exception {
        String profile = ItPaths.othervmProfile().toString();
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.OTHERVM,
                List.of(ToyVmProcess.javaagent("profile=" + profile + ",limit=0:20")), "--cpus", "2", "--rate", "80")) {
            double[] first = vm.awaitRates(20, 10, 0, 0);
            vm.awaitRate(1, vm.lastSecond() - ToyVmProcess.WINDOW, mbps -> mbps > 0.85 * 80, "unthrottled, near its 80 MB/s");

            ForkedJvm.Finished attach = AgentCli.run("attach", Long.toString(vm.pid()), "limit=30");
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            assertThat(attach.outText()).contains(
                    "instruments io.dirtylimit.examples.othervm.SystemBus.write(long, byte[], int, int)",
                    "instruments io.dirtylimit.examples.othervm.RamBus.write(long, byte[], int, int)");
            double[] both = vm.awaitRates(30, 10, vm.lastSecond() + 1, 0, 1);
            System.out.printf("othervm: limit 0:20 -> %.1f MB/s (vCPU 1 unthrottled at 80); limit 30 -> %.1f / %.1f MB/s%n",
                    first[0], both[0], both[1]);
        }
    }
}
