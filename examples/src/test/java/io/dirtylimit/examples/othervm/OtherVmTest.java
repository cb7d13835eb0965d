package io.dirtylimit.examples.othervm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The command line in process: several instances in one JVM, each with its own RAM at the same addresses. */
class OtherVmTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private int run(String... args) {
        return OtherVm.run(args, new ByteArrayInputStream(new byte[0]), out, err);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Real time: two instances of two CPUs; CPU n of both instances sweeps the same addresses,
     * each in its own RAM, so each of the four is charged its own pages: all four near their
     * 20 MB/s (median of seconds 2 to 5, a wide band for a loaded machine). Were the RAM shared, the
     * second writer of each page would be charged nothing.
     */
    @Test
    void instancesHaveTheirOwnRamAtTheSameAddressesAndCpusNumberedAcrossThem() throws Exception {
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(
                () -> run("--instances", "2", "--cpus", "2", "--rate", "20", "--ram-mb", "64", "--seconds", "5"));
        await().atMost(Duration.ofSeconds(60)).until(() -> out().contains("\n1,3,"));
        List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toList());
        assertThat(names).contains("cpu#0 worker", "cpu#1 worker", "cpu#2 worker", "cpu#3 worker").doesNotContain("cpu#4 worker");
        assertThat(status.get()).isZero();

        List<String> lines = out().lines().collect(Collectors.toList());
        assertThat(lines.get(0)).isEqualTo("t_s,cpu,dirty_mbps,stores_per_s");
        List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",")).collect(Collectors.toList());
        assertThat(rows).extracting(r -> r[0] + "," + r[1]).containsExactly(
                "1,0", "1,1", "1,2", "1,3", "2,0", "2,1", "2,2", "2,3", "3,0", "3,1", "3,2", "3,3",
                "4,0", "4,1", "4,2", "4,3", "5,0", "5,1", "5,2", "5,3");
        for (String cpu : List.of("0", "1", "2", "3")) {
            // the median: a second in which other processes take the cores is lost, not caught up
            double[] rates = rows.stream().filter(r -> r[1].equals(cpu) && !r[0].equals("1")).mapToDouble(r -> Double.parseDouble(r[2]))
                    .sorted().toArray();
            double median = (rates[(rates.length - 1) / 2] + rates[rates.length / 2]) / 2;
            assertThat(median).as("cpu %s, median of seconds 2-5", cpu).isCloseTo(20, withinPercentage(15));
        }
        assertThat(errBytes.toString(StandardCharsets.UTF_8))
                .contains("othervm: 2 instance(s) of 2 cpus, 64 MiB RAM each at guest address 0, 32768 KiB per cpu")
                .contains("othervm: instance 0 done").contains("othervm: instance 1 done");
    }

    @Test
    void oneInstanceByDefault() {
        assertThat(run("--cpus", "1", "--rate", "5", "--ram-mb", "8", "--seconds", "1")).isZero();
        assertThat(out().lines()).containsExactly("t_s,cpu,dirty_mbps,stores_per_s", out().lines().skip(1).findFirst().orElseThrow());
        assertThat(out().lines().skip(1).findFirst().orElseThrow()).startsWith("1,0,");
    }

    @Test
    void badOptionsExitWithStatus2AndAMessage() {
        assertThat(run("--instances", "0")).isEqualTo(2);
        assertThat(run("--instances", "two")).isEqualTo(2);
        assertThat(run("--instances", "100000", "--ram-mb", "1024")).isEqualTo(2);
        assertThat(errBytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("othervm: ")))
                .containsExactly("othervm: --instances must be a positive whole number (got 0)",
                        "othervm: --instances: malformed number 'two'",
                        "othervm: --instances 100000 x --ram-mb 1024 do not fit in this JVM's heap (max "
                                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); run java with a larger -Xmx");
        assertThat(out()).isEmpty();
    }
}
