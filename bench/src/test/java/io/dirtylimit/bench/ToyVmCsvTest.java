package io.dirtylimit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToyVmCsvTest {

    @Test
    void runIpsIsTheMedianSecondAfterTheSkippedOnesCommentsIgnored() {
        List<String> out = List.of(
                "t_s,vcpu,dirty_mbps,ring_full_exits,ips",
                "1,0,41185.6,2634,63359672",
                "# info dirty: a monitor reply",
                "2,0,66794.7,4077,100000000",
                "",
                "3,0,71659.0,4478,110000000",
                "4,0,65584.7,4099,120000000");
        assertThat(ToyVmCsv.runIps(out, 1)).isCloseTo(110_000_000, within(1e-6));
        assertThat(ToyVmCsv.runIps(out, 3)).isCloseTo(120_000_000, within(1e-6));
        assertThat(ToyVmCsv.runIps(out, 2)).isCloseTo(115_000_000, within(1e-6));
        assertThat(ToyVmCsv.runIps(out, 0)).isCloseTo(105_000_000, within(1e-6));
    }

    @Test
    void aSecondTakenByAnotherProcessDoesNotDragTheRunDown() {
        List<String> out = List.of(ToyVmCsv.HEADER, "1,0,1,0,50", "2,0,1,0,200", "3,0,1,0,30", "4,0,1,0,210", "5,0,1,0,205");
        assertThat(ToyVmCsv.runIps(out, 1)).isEqualTo(202.5);
    }

    @Test
    void vcpusOfOneSecondAreSummed() {
        List<String> out = List.of(
                "t_s,vcpu,dirty_mbps,ring_full_exits,ips",
                "1,0,1,0,5", "1,1,1,0,7",
                "2,0,1,0,10", "2,1,1,0,30",
                "3,0,1,0,20", "3,1,1,0,0");
        assertThat(ToyVmCsv.ipsBySecond(out)).containsEntry(1L, 12.0).containsEntry(2L, 40.0).containsEntry(3L, 20.0);
        assertThat(ToyVmCsv.runIps(out, 1)).isEqualTo(30.0);
        assertThat(ToyVmCsv.runIps(out, 0)).isEqualTo(20.0);
    }

    @Test
    void badOutputIsRefusedWithTheLine() {
        assertThatThrownBy(() -> ToyVmCsv.runIps(List.of("t_s  vcpu  dirty MB/s", "1 0 12.0"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1").hasMessageContaining("header");
        assertThatThrownBy(() -> ToyVmCsv.runIps(List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--stats csv");
        assertThatThrownBy(() -> ToyVmCsv.runIps(List.of(ToyVmCsv.HEADER, "1,0,1,0"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2").hasMessageContaining("5 fields");
        assertThatThrownBy(() -> ToyVmCsv.runIps(List.of(ToyVmCsv.HEADER, "1,0,1,0,fast"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> ToyVmCsv.runIps(List.of(ToyVmCsv.HEADER, "1,0,1,0,-5"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    }

    @Test
    void nothingLeftAfterTheSkippedSecondsIsAnError() {
        List<String> out = List.of(ToyVmCsv.HEADER, "1,0,1,0,100");
        assertThatThrownBy(() -> ToyVmCsv.runIps(out, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 second(s)").hasMessageContaining("1 skipped");
    }

    @Test
    void cpuIpsIsTheInstructionsAfterTheSkippedSecondsOverTheVcpuCpuTimeMeanwhile() {
        List<String> out = List.of(ToyVmCsv.HEADER, "1,0,1,0,50", "2,0,1,0,200", "3,0,1,0,100", "4,0,1,0,300");
        // CPU time read as each line arrived, in ticks of 1/100 s: seconds 2 to 4 used 50 + 50 + 100 ticks = 2 s.
        Map<Long, Long> ticks = Map.of(1L, 90L, 2L, 140L, 3L, 190L, 4L, 290L);
        assertThat(ToyVmCsv.cpuIps(out, ticks, 1, 100)).isEqualTo(600 / 2.0);
        assertThat(ToyVmCsv.cpuIps(out, ticks, 2, 100)).isEqualTo(400 / 1.5);
        assertThat(ToyVmCsv.cpuShare(out, ticks, 1, 100)).isEqualTo(2 / 3.0);
    }

    @Test
    void aLastLineAfterTheVcpuThreadEndedShortensTheCpuWindow() {
        List<String> out = List.of(ToyVmCsv.HEADER, "1,0,1,0,50", "2,0,1,0,200", "3,0,1,0,100", "4,0,1,0,300");
        Map<Long, Long> ticks = Map.of(1L, 90L, 2L, 140L, 3L, 190L, 4L, -1L);
        assertThat(ToyVmCsv.cpuIps(out, ticks, 1, 100)).isEqualTo(300 / 1.0);
        assertThat(ToyVmCsv.cpuShare(out, ticks, 1, 100)).isEqualTo(0.5);
    }

    @Test
    void cpuIpsIsUnknownWithoutTheReadingsItNeeds() {
        List<String> out = List.of(ToyVmCsv.HEADER, "1,0,1,0,50", "2,0,1,0,200");
        assertThat(ToyVmCsv.cpuIps(out, Map.of(2L, 140L), 1, 100)).isNaN();
        assertThat(ToyVmCsv.cpuIps(out, Map.of(1L, -1L, 2L, 140L), 1, 100)).isNaN();
        assertThat(ToyVmCsv.cpuIps(out, Map.of(1L, 140L, 2L, 140L), 1, 100)).isNaN();
        assertThat(ToyVmCsv.cpuIps(out, Map.of(1L, 40L, 2L, 140L), 2, 100)).isNaN();
        assertThat(ToyVmCsv.cpuShare(out, Map.of(2L, 140L), 1, 100)).isNaN();
    }

    @Test
    void threadCpuTicksAreUserPlusSystemTimeOfTheStatLine() {
        // A command name with blanks and parentheses, as /proc allows.
        String stat = "4242 (vcpu-0 (x)) R 1 2 3 4 5 6 7 8 9 10 1234 56 0 0 20 0 30 0 100 200 300";
        assertThat(ThreadCpu.parseTicks(stat)).isEqualTo(1234 + 56);
    }
}
