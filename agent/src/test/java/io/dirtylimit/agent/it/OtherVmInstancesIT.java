package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Two machines in one JVM, each with its own RAM at the same guest addresses (othervm --instances 2),
 * limited to 50 MB/s per CPU through a profile alone: with one address space per RAM object each is
 * held at 50 by its own CSV; with one named space for the JVM (the plain othervm profile) the second
 * machine's first writes hide behind the first's and both run at about twice the limit, as reported.
 */
class OtherVmInstancesIT {

    @Test
    void twoInstancesAtTheSameGuestAddressesAreEachHeldAtTheirLimit() throws Exception {
        String profile = ItPaths.examplesProfile("othervm-instances").toString();
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.OTHERVM, List.of(ToyVmProcess.javaagent("profile=" + profile + ",limit=50")),
                "--instances", "2", "--cpus", "1", "--rate", "100")) {
            double[] held = vm.awaitRates(50, 10, 0, 0, 1);
            System.out.printf("othervm --instances 2, a space per RAM object, limit 50: %.1f / %.1f MB/s%n", held[0], held[1]);
        }
    }

    @Test
    void withOneNamedSpaceForBothTheyRunAtAboutTwiceTheLimit() throws Exception {
        String profile = ItPaths.othervmProfile().toString();
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.OTHERVM, List.of(ToyVmProcess.javaagent("profile=" + profile + ",limit=50")),
                "--instances", "2", "--cpus", "1", "--rate", "100")) {
            vm.awaitSeconds(4);
            double[] pair = new double[2];
            // a window, not the first one read: seconds of a machine busy with other work pull both below
            await().atMost(ToyVmProcess.SETTLE).pollInterval(Duration.ofMillis(500))
                    .failFast("the emulator died", () -> !vm.jvm.isAlive())
                    .untilAsserted(() -> {
                        for (int cpu = 0; cpu < 2; cpu++) {
                            OptionalDouble mean = RateCsv.mean(vm.jvm.out(), cpu, ToyVmProcess.WINDOW, 4);
                            assertThat(mean).as("cpu %d has %d s of rates after the fourth", cpu, ToyVmProcess.WINDOW).isPresent();
                            pair[cpu] = mean.getAsDouble();
                        }
                        assertThat(pair[0] + pair[1]).as("the pair's rate, by the emulator's own count: %s / %s",
                                RateCsv.last(vm.jvm.out(), 0, 8), RateCsv.last(vm.jvm.out(), 1, 8)).isGreaterThan(1.5 * 100);
                    });
            System.out.printf("othervm --instances 2, one named space, limit 50: %.1f / %.1f MB/s%n", pair[0], pair[1]);
        }
    }
}
