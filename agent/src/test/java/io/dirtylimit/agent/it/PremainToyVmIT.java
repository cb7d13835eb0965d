package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** -javaagent at start-up: the toy VM's own CSV shows its vCPUs at the limit. */
class PremainToyVmIT {

    @Test
    void aLimitForAllVcpusHoldsBothAtIt() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(ToyVmProcess.javaagent("profile=toyvm,limit=200")),
                "--vcpus", "2", "--dirty-rate", "600", "--stats", "csv")) {
            double[] means = vm.awaitRates(200, 10, 0, 0, 1);
            System.out.printf("premain limit=200: vCPU 0 %.1f MB/s, vCPU 1 %.1f MB/s (unthrottled target 600)%n", means[0], means[1]);
            assertThat(vm.agentLines()).as("the agent is quiet at the default log level").isEmpty();
        }
    }

    @Test
    void aPerVcpuLimitLeavesTheOtherVcpuUnthrottled() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(ToyVmProcess.javaagent("limit=0:200,log=info")),
                "--vcpus", "2", "--dirty-rate", "600", "--stats", "csv")) {
            double[] means = vm.awaitRates(200, 10, 0, 0);
            int settled = vm.lastSecond() - ToyVmProcess.WINDOW;
            vm.awaitRate(1, settled, mbps -> mbps > 0.8 * 600, "unthrottled, near its 600 MB/s");
            System.out.printf("premain limit=0:200: vCPU 0 %.1f MB/s, vCPU 1 %s MB/s%n", means[0], RateCsv.last(vm.jvm.out(), 1, 3));
            assertThat(vm.agentLines()).anySatisfy(line -> assertThat(line)
                    .contains("hook 0 (ring-full) instruments io.dirtylimit.examples.toyvm.Vcpu.handleRingFull()"));
            assertThat(vm.agentLines()).anySatisfy(line -> assertThat(line)
                    .contains("hook 1 (dirty-page) instruments io.dirtylimit.examples.toyvm.Vcpu.pageDirtied(long)"));
        }
    }
}
