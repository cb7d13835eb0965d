package io.dirtylimit.examples.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line end to end, in process, and the ground truth it prints. */
class TenantVmTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private int run(String stdin, String... args) {
        return TenantVm.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("unknown option '--vcpus'", "--vcpus", "2"),
                bad("unexpected argument 'stray'", "stray"),
                bad("--guests needs a value", "--guests"),
                bad("--guests given twice", "--guests", "1", "--guests=2"),
                bad("--guests: malformed count 'two'", "--guests", "two"),
                bad("--guests: must be between 1 and 1024 (got 0)", "--guests", "0"),
                bad("--guests: must be between 1 and 1024 (got 2000)", "--guests", "2000"),
                bad("--threads: must be between 1 and 256 (got 0)", "--threads", "0"),
                bad("--threads: malformed count '-1'", "--threads", "-1"),
                bad("--rate: malformed rate 'fast' (use max, or MB/s such as 100 or 12.5)", "--rate", "fast"),
                bad("--rate: must be above 0 (got 0)", "--rate", "0"),
                bad("--rate: 2000000 MB/s is above the 1000000 MB/s limit; use max to run flat out", "--rate", "2000000"),
                bad("--guest-mem: malformed size '12X' (use e.g. 64M, 1G, 256K or a byte count)", "--guest-mem", "12X"),
                bad("--guest-mem: must be a positive multiple of 64K, a WebAssembly page (got 4K)", "--guest-mem", "4K"),
                bad("--guest-mem: must be a positive multiple of 64K, a WebAssembly page (got 0)", "--guest-mem", "0"),
                bad("--guest-mem: at most 3G (got 4G)", "--guest-mem", "4G"),
                bad("--guest-mem: 1024 guests x 3G = 3T do not fit in this JVM's heap", "--guests", "1024", "--guest-mem", "3G"),
                bad("--seconds: malformed number 'soon' (a whole number, 0 or more)", "--seconds", "soon"),
                bad("--queue: unknown order 'lifo' (use due or fifo)", "--queue", "lifo"));
    }

    private static Arguments bad(String message, String... args) {
        return Arguments.of(message, args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGetsOneClearMessageAndExitStatus2(String message, String[] args) {
        assertThat(run("", args)).isEqualTo(TenantVm.EXIT_USAGE);
        assertThat(err()).startsWith("tenantvm: " + message).endsWith("tenantvm: try --help" + System.lineSeparator());
        assertThat(err().lines()).hasSize(2);
        assertThat(out()).isEmpty();
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run("", "--help")).isEqualTo(TenantVm.EXIT_OK);
        assertThat(out()).startsWith("usage: java -cp toyvm.jar io.dirtylimit.examples.tenants.TenantVm [options]")
                .contains("--guests N", "--threads M", "--rate MBPS|max", "--guest-mem SIZE", "--seconds S", "--queue due|fifo",
                        "t_s,guest,dirty_mbps");
    }

    /**
     * Real time: each paced guest's own CSV rate near its target. A single second may fall short
     * on a loaded machine (a stalled guest loses that time), so the band applies to the median of
     * seconds 2 to 5.
     */
    @Test
    void csvGroundTruthEachSecondForEachGuestAtItsRate() {
        assertThat(run("", "--guests", "3", "--threads", "2", "--rate", "20", "--guest-mem", "32M", "--seconds", "5"))
                .isEqualTo(TenantVm.EXIT_OK);
        List<String> lines = out().lines().collect(Collectors.toList());
        assertThat(lines.get(0)).isEqualTo("t_s,guest,dirty_mbps");
        List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",")).collect(Collectors.toList());
        List<String> expectedKeys = new ArrayList<>();
        for (int t = 1; t <= 5; t++) {
            for (int g = 0; g < 3; g++) {
                expectedKeys.add(t + "," + g);
            }
        }
        assertThat(rows).extracting(r -> r[0] + "," + r[1]).containsExactlyElementsOf(expectedKeys);
        assertThat(rows).allSatisfy(r -> assertThat(r).hasSize(3).satisfies(c -> assertThat(c[2]).matches("\\d+\\.\\d")));
        for (String guest : List.of("0", "1", "2")) {
            // the median: a second in which other processes take the cores is lost, not caught up
            double[] rates = rows.stream().filter(r -> r[1].equals(guest) && !r[0].equals("1")).mapToDouble(r -> Double.parseDouble(r[2]))
                    .sorted().toArray();
            double median = (rates[(rates.length - 1) / 2] + rates[rates.length / 2]) / 2;
            assertThat(median).as("guest %s, median of seconds 2-5", guest).isCloseTo(20, withinPercentage(15));
        }
        assertThat(err()).contains("tenantvm: 3 guest(s) of 32M each, all at guest address 0, on 2 worker thread(s), rate 20 MB/s per guest")
                .doesNotContain("note:");
    }

    @Test
    void quitOnStdinEndsTheRunAndOtherLinesAreCsvComments() {
        assertThat(run("bogus\nquit\n", "--guests", "1", "--guest-mem", "1M")).isEqualTo(TenantVm.EXIT_OK);
        assertThat(out()).startsWith("t_s,guest,dirty_mbps").contains("# error: unknown command 'bogus' (the only command is quit)");
        assertThat(err()).contains("note: each guest rewrites its 1M more than once a second").endsWith("tenantvm: quit" + System.lineSeparator());
    }

    /** Flat out, a guest rewrites its 1 MiB many times a second: the harvest counts each of its 256 pages once. */
    @Test
    void eachPageIsCountedOncePerGuestPerHarvest() throws Exception {
        List<List<Harvester.Sample>> seconds = new ArrayList<>();
        TenantOptions options = TenantOptions.parse(new String[] {"--guests", "3", "--threads", "2", "--guest-mem", "1M"}, Long.MAX_VALUE);
        TenantRuntime runtime = new TenantRuntime(options, (second, samples) -> {
            synchronized (seconds) {
                seconds.add(samples);
            }
        }, err);
        runtime.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                synchronized (seconds) {
                    return seconds.size() >= 4;
                }
            });
        } finally {
            runtime.shutdown();
        }
        synchronized (seconds) {
            assertThat(seconds).allSatisfy(s -> assertThat(s).extracting(Harvester.Sample::guest).containsExactly(0, 1, 2));
            assertThat(seconds).flatExtracting(s -> s).allSatisfy(s -> assertThat(s.pages()).isBetween(0L, 256L));
            for (int g = 0; g < 3; g++) {
                int guest = g;
                assertThat(seconds).as("guest %d covered its memory in some second", g)
                        .anySatisfy(s -> assertThat(s.get(guest).pages()).isEqualTo(256));
            }
        }
        assertThat(runtime.guests()).allSatisfy(g -> assertThat(g.pass()).as("rewritten many times").isGreaterThan(10));
        assertThat(runtime.workers()).extracting(Thread::getName).containsExactly("tenant-worker-0", "tenant-worker-1");
    }
}
