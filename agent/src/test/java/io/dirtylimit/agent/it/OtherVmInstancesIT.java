package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
            double first = vm.measure(0);
            double second = RateCsv.mean(vm.jvm.out(), 1, ToyVmProcess.WINDOW, vm.lastSecond() - ToyVmProcess.WINDOW).orElseThrow();
            System.out.printf("othervm --instances 2, one named space, limit 50: %.1f / %.1f MB/s%n", first, second);
            assertThat(first + second).as("the pair's rate, by the emulator's own count").isGreaterThan(1.5 * 100);
        }
    }
}
