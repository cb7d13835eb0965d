package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Real time: paced vCPUs measured by the VM's own statistics (pages harvested per second) sit
 * within 15 % of their targets. Three vCPUs at 50, 150 and 300 MB/s run side by side; the first
 * second (start-up) is left out, the median of seconds 2 to 6 is taken (a guest loses, and does not
 * catch up, the seconds in which other processes take the machine's cores).
 */
class PacingTest {

    @Test
    void pacedVcpusDirtyAtTheirTargetRate() throws Exception {
        TestVms.RecordingStats stats = new TestVms.RecordingStats();
        Machine vm = TestVms.machine(stats, new TestVms.Output(),
                "--mem", "96M", "--vcpus", "3", "--dirty-rate", "0:50,1:150,2:300", "--stats", "none");
        vm.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> stats.count() >= 6);
        } finally {
            vm.shutdown();
        }
        assertThat(stats.medianDirtyMbps(0, 2, 6)).isCloseTo(50, withinPercentage(15));
        assertThat(stats.medianDirtyMbps(1, 2, 6)).isCloseTo(150, withinPercentage(15));
        assertThat(stats.medianDirtyMbps(2, 2, 6)).isCloseTo(300, withinPercentage(15));
    }
}
