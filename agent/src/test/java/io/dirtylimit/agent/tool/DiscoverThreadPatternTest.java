package io.dirtylimit.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoverThreadPatternTest {

    @Test
    void theNumberThatDiffersIsTheVcpu() {
        DiscoverThreadPattern toy = DiscoverThreadPattern.of(List.of("vcpu-1", "vcpu-0"));
        assertThat(toy.regex()).isEqualTo("vcpu-(\\d+)");
        assertThat(toy.matched()).isEqualTo(Map.of("vcpu-1", 1, "vcpu-0", 0));
        assertThat(toy.problem()).isNull();

        assertThat(DiscoverThreadPattern.of(List.of("cpu#0 worker", "cpu#1 worker")).regex()).isEqualTo("cpu#(\\d+) worker");
        assertThat(DiscoverThreadPattern.of(List.of("pool-1-thread-3", "pool-1-thread-4")).regex()).isEqualTo("pool-1-thread-(\\d+)");
        assertThat(DiscoverThreadPattern.of(List.of("node2.cpu(0)", "node2.cpu(1)")).regex()).isEqualTo("node2\\.cpu\\((\\d+)\\)");
    }

    @Test
    void oneThreadTakesItsLastNumber() {
        DiscoverThreadPattern one = DiscoverThreadPattern.of(List.of("tenant-worker-0"));
        assertThat(one.regex()).isEqualTo("tenant-worker-(\\d+)");
        assertThat(one.matched()).containsEntry("tenant-worker-0", 0);
        assertThat(DiscoverThreadPattern.of(List.of("pool-2-thread-1")).regex()).isEqualTo("pool-2-thread-(\\d+)");
    }

    @Test
    void theMostCommonShapeWinsAndTheOthersAreReported() {
        DiscoverThreadPattern mixed = DiscoverThreadPattern.of(List.of("main", "vcpu-0", "vcpu-1", "vcpu-2"));
        assertThat(mixed.regex()).isEqualTo("vcpu-(\\d+)");
        assertThat(mixed.problem()).isEqualTo("thread 'main' also stores but does not match the pattern");
        assertThat(mixed.matched()).hasSize(3);
    }

    @Test
    void numbersThatRepeatOrNoNumbersAtAll() {
        DiscoverThreadPattern both = DiscoverThreadPattern.of(List.of("cpu-1-a", "cpu-1-a"));
        assertThat(both.problem()).isEqualTo("two threads get vCPU index 1 from the pattern");
        DiscoverThreadPattern none = DiscoverThreadPattern.of(List.of("worker", "worker"));
        assertThat(none.regex()).isNull();
        assertThat(none.problem()).isEqualTo("the thread names carry no number");
    }
}
