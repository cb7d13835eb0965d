package io.dirtylimit.agent.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoverDataTest {

    static DiscoverData sample() {
        DiscoverData.MethodStats write = new DiscoverData.MethodStats(0, "a.b.Ram", "write", List.of("long", "byte[]", "int", "int"),
                false, "void", 1000, 100, 4, 2, 1, 256, 256,
                List.of(new DiscoverData.ParamStats(0, "long", 768, 0, 4190208, 0), new DiscoverData.ParamStats(3, "int", 1, 256, 256, 256)),
                List.of(new DiscoverData.PairStats(0, 3, -4189952, 256)),
                List.of(new DiscoverData.ReceiverRange(0, 0, 0, 4190208), new DiscoverData.ReceiverRange(1, 0, 4096, 4190208)));
        DiscoverData.MethodStats none = new DiscoverData.MethodStats(1, "a.b.Cpu$Inner", "run", List.of(), true, "int", 5, 5, 1, 0, -1,
                -1, -1, List.of(), List.of(), List.of());
        return new DiscoverData(42, "17.0.15", 3.001, 9, 8, List.of("a note, with\ttab"), List.of("an error\nwith a newline"),
                List.of("a.b.Ram"), List.of(write, none),
                List.of(new DiscoverData.ThreadStats(7, "cpu#0 worker \\ odd", 1005, List.of(new long[] {0, 1000}, new long[] {1, 5})),
                        new DiscoverData.ThreadStats(-1, "", 3, List.of(new long[] {0, 3}))));
    }

    @Test
    void roundTripsThroughItsLines() {
        DiscoverData data = sample();
        DiscoverData back = DiscoverData.parse(data.lines());
        assertThat(back.lines()).isEqualTo(data.lines());
        assertThat(back.notes()).containsExactly("a note, with\ttab");
        assertThat(back.errors()).containsExactly("an error\nwith a newline");
        assertThat(back.threads().get(0).name()).isEqualTo("cpu#0 worker \\ odd");
        assertThat(back.threads().get(0).callsOf(1)).isEqualTo(5);
        assertThat(back.methods().get(0).param(3).max()).isEqualTo(256);
        assertThat(back.methods().get(0).signature()).isEqualTo("a.b.Ram.write(long, byte[], int, int)");
        assertThat(back.methods().get(1).parameterTypes()).isEmpty();
        assertThat(back.methods().get(0).receiverRanges()).hasSize(2);
        assertThat(data.lines()).allMatch(line -> !line.contains("\n"));
    }

    @Test
    void refusesOtherData() {
        assertThatThrownBy(() -> DiscoverData.parse(List.of("result: ok"))).hasMessageContaining("not discover data");
        assertThatThrownBy(() -> DiscoverData.parse(List.of())).hasMessageContaining("nothing");
        assertThatThrownBy(() -> DiscoverData.parse(List.of(DiscoverData.FORMAT, "param\t0\t0\tlong\t1\t0\t0\t0")))
                .hasMessageContaining("a method's detail before the method");
        assertThat(DiscoverData.parse(List.of(DiscoverData.FORMAT, "pid\t3", "a-later-fact\tx")).pid()).isEqualTo(3);
    }
}
