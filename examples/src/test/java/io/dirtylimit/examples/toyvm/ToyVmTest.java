package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The command line end to end, in process: {@link ToyVm#run} returns the exit status. */
class ToyVmTest {
    private final TestVms.Output output = new TestVms.Output();

    private int run(String stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return ToyVm.run(args, in, output.out, output.err);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("unknown option '--frobnicate'", "--frobnicate", "1"),
                bad("unexpected argument 'stray'", "stray"),
                bad("--mem needs a value", "--mem"),
                bad("--mem: malformed size '12X' (use e.g. 256M, 1G, 64K or a byte count)", "--mem", "12X"),
                bad("--mem: must be a positive multiple of 4K (got 1000)", "--mem", "1000"),
                bad("--mem: must be a positive multiple of 4K (got 0)", "--mem", "0"),
                bad("--mem: 32G is more than this emulator supports (16G)", "--mem", "32G"),
                bad("--mem: malformed size '99999999999999999999T'", "--mem", "99999999999999999999T"),
                bad("--vcpus: must be between 1 and 256 (got 0)", "--vcpus", "0"),
                bad("--vcpus: must be between 1 and 256 (got 300)", "--vcpus", "300"),
                bad("--vcpus: malformed count 'two'", "--vcpus", "two"),
                bad("--ring: must be 0 (no ring: dirty log) or a power of two from 16 to 65536 (got 1000)", "--ring", "1000"),
                bad("--ring: must be 0 (no ring: dirty log) or a power of two from 16 to 65536 (got 8)", "--ring", "8"),
                bad("--ring: must be 0 (no ring: dirty log) or a power of two from 16 to 65536 (got 131072)", "--ring", "131072"),
                bad("--ring: malformed entry count '-1'", "--ring", "-1"),
                bad("--dirty-rate: malformed rate 'fast' (use max, or MB/s such as 200 or 12.5)", "--dirty-rate", "fast"),
                bad("--dirty-rate: malformed rate '-5'", "--dirty-rate", "-5"),
                bad("--dirty-rate: must be above 0 (got 0)", "--dirty-rate", "0"),
                bad("--dirty-rate: 2000000 MB/s is above the 1000000 MB/s limit", "--dirty-rate", "2000000"),
                bad("--dirty-rate: vCPU index 1 out of range (--vcpus 1: 0..0)", "--dirty-rate", "1:50"),
                bad("--workload: unknown workload 'foo' (choose from seq, random, bursty, compute, copy, warmup, once)", "--workload", "foo"),
                bad("--workload: vCPU index 2 out of range (--vcpus 2: 0..1)", "--vcpus", "2", "--workload", "2:seq"),
                bad("--workload: vCPU 0 given twice", "--workload", "0:seq,0:copy"),
                bad("--workload: two values for all vCPUs", "--workload", "seq,random"),
                bad("--workload: malformed vCPU index in 'x:seq'", "--workload", "x:seq"),
                bad("--workload: empty item in 'seq,'", "--workload", "seq,"),
                bad("--mem: 8K is too small for 4 writer vCPU(s): each needs at least 4K", "--vcpus", "4", "--mem", "8K"),
                bad("--mem: 4K is too small for 1 writer vCPU(s): each needs at least 8K", "--workload", "copy", "--mem", "4K"),
                bad("--wss: 512M exceeds the 256M region of each writer vCPU (--mem 256M / 1 writers)", "--workload", "random", "--wss", "512M"),
                bad("--wss: no vCPU runs the random workload", "--wss", "64M"),
                bad("--wss: must be a positive multiple of 4K (got 1000)", "--workload", "random", "--wss", "1000"),
                bad("--stats: must be csv, table or none (got 'xml')", "--stats", "xml"),
                bad("--seconds: malformed number 'soon'", "--seconds", "soon"),
                bad("--seconds: malformed number '-1'", "--seconds", "-1"),
                bad("--seed: malformed number 'abc'", "--seed", "abc"),
                bad("--migrate: unknown parameter 'speed' (bandwidth=MB/s, downtime=ms, max-passes=N, max-seconds=S)", "--migrate", "speed=10"),
                bad("--migrate: bandwidth must be a rate in MB/s above 0", "--migrate", "bandwidth=0"),
                bad("--migrate: expected key=value, got 'downtime'", "--migrate", "downtime"),
                bad("--migrate: max-passes must be a number of passes from 1 to 100000, got '0'", "--migrate", "max-passes=0"),
                bad("--migrate-after: needs --migrate", "--migrate-after", "3"));
    }

    private static Arguments bad(String message, String... args) {
        return Arguments.of(message, args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGetsOneClearMessageAndExitStatus2(String message, String[] args) {
        assertThat(run("", args)).isEqualTo(ToyVm.EXIT_USAGE);
        assertThat(output.err()).startsWith("toyvm: " + message).endsWith("toyvm: try --help" + System.lineSeparator());
        assertThat(output.err().lines()).hasSize(2);
        assertThat(output.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(output.out()).isEmpty();
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run("", "--help")).isEqualTo(ToyVm.EXIT_OK);
        assertThat(output.out()).contains("usage: java -jar toyvm.jar").contains("--dirty-rate").contains("--migrate-after")
                .contains("warmup    seq, but like a JIT warming up: RATE/50 for its first 2 s, then RATE")
                .contains("'vcpu N: wrote SIZE MiB once in SECONDS s'");
    }

    /**
     * The README's demonstration, shortened: per-vCPU CSV rates near 200 after the first second.
     * A single second may fall short on a loaded machine (a stalled vCPU loses that time), so
     * the band applies to the mean of seconds 2 to 5.
     */
    @Test
    void csvStatsForEachSecondWithoutQuittingAtEndOfInput() {
        assertThat(run("", "--vcpus", "2", "--dirty-rate", "200", "--seconds", "5", "--stats", "csv", "--mem", "64M"))
                .isEqualTo(ToyVm.EXIT_OK);
        List<String> lines = output.out().lines().collect(Collectors.toList());
        assertThat(lines.get(0)).isEqualTo("t_s,vcpu,dirty_mbps,ring_full_exits,ips");
        List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",")).collect(Collectors.toList());
        assertThat(rows).extracting(r -> r[0] + "," + r[1])
                .containsExactly("1,0", "1,1", "2,0", "2,1", "3,0", "3,1", "4,0", "4,1", "5,0", "5,1");
        for (String[] row : rows) {
            assertThat(row).hasSize(5);
            assertThat(row[2]).matches("\\d+\\.\\d");
            assertThat(Long.parseLong(row[3])).isNotNegative();
            assertThat(Long.parseLong(row[4])).isPositive();
        }
        for (String vcpu : List.of("0", "1")) {
            List<String[]> steady = rows.stream().filter(r -> r[1].equals(vcpu) && !r[0].equals("1")).collect(Collectors.toList());
            double mbps = steady.stream().mapToDouble(r -> Double.parseDouble(r[2])).average().orElseThrow();
            assertThat(mbps).as("vCPU %s, mean of seconds 2-5", vcpu).isCloseTo(200, withinPercentage(15));
            double pages = steady.stream().mapToDouble(r -> Double.parseDouble(r[2])).sum() * 256;
            long exits = steady.stream().mapToLong(r -> Long.parseLong(r[3])).sum();
            assertThat(pages / 4096).as("one ring-full exit per 4096 pages, plus the reaper's partial rings")
                    .isCloseTo(exits, org.assertj.core.api.Assertions.within(5.0));
        }
        assertThat(output.err()).contains("toyvm: vcpu-1: seq 200 MB/s [0x2000000..0x4000000)");
    }

    @Test
    void monitorCommandsFromStdinUntilQuit() {
        assertThat(run("info vcpus\nbogus\nquit\n", "--vcpus", "2", "--mem", "8M", "--dirty-rate", "10", "--stats", "none"))
                .isEqualTo(ToyVm.EXIT_OK);
        assertThat(output.out())
                .contains("* CPU #0: thread=vcpu-0")
                .contains("* CPU #1: thread=vcpu-1")
                .contains("error: unknown command 'bogus' (try 'help')");
    }

    @Test
    void migrationFromTheCommandLineLeavesTheCsvReadable() {
        assertThat(run("", "--mem", "16M", "--dirty-rate", "10", "--stats", "csv", "--seconds", "3",
                "--migrate", "bandwidth=500,downtime=50", "--migrate-after", "1")).isEqualTo(ToyVm.EXIT_OK);
        List<String> lines = output.out().lines().collect(Collectors.toList());
        assertThat(lines).filteredOn(l -> l.startsWith("# "))
                .singleElement().asString().startsWith("# {\"converged\":true").contains("\"identical\":true");
        assertThat(lines).filteredOn(l -> !l.startsWith("# ")).allMatch(l -> l.split(",").length == 5);
    }

    @Test
    void tableStats() {
        assertThat(run("", "--vcpus", "2", "--mem", "8M", "--dirty-rate", "10", "--seconds", "1")).isEqualTo(ToyVm.EXIT_OK);
        List<String> lines = output.out().lines().collect(Collectors.toList());
        assertThat(lines.get(0)).contains("t_s").contains("dirty MB/s").contains("ring-full/s").contains("instr/s");
        assertThat(lines).hasSize(4);
        assertThat(Arrays.asList(lines.get(3).trim().split("\\s+"))).startsWith("1", "all");
    }
}
