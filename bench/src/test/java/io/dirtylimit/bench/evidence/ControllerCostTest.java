package io.dirtylimit.bench.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ControllerCostTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void everyPolicyRunsItsPeriodsOnTheVirtualClockWithThrottledVcpus() {
        for (String policy : new String[] {"model", "pi", "linear", "qemu", "v9"}) {
            ControllerCost.Row row = ControllerCost.measure(policy, 16, 2, 5);

            assertThat(row.vcpus()).isEqualTo(16);
            assertThat(row.medianNanos()).isPositive();
            assertThat(row.p90Nanos()).isGreaterThanOrEqualTo(row.medianNanos());
            assertThat(row.perVcpuNanos()).isEqualTo(row.medianNanos() / 16);
        }
    }
}
