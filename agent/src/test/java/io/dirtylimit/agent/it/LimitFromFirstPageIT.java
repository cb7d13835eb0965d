package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * "A limit holds from the first page", by the toy VM's own CSV: a limit set at start-up with the
 * default profile holds a flat-out sequential writer and one that warms up like a JIT (slow for two
 * seconds, then 50x faster) from the second full second on, at limits from 1 to 200 MB/s and rings
 * of 4096 and 65536 entries; 256 small vCPUs each sit on a 2 MB/s limit; a one-shot 64 MiB write
 * under 5 MB/s takes the 12.8 s the limit says. The limit is an upper bound, held to every second (for the
 * 256 vCPUs, whose counters the toy VM reads one after the other, to every two seconds); the lower side
 * (held at the limit, not starved) is held by each writer's median second.
 */
class LimitFromFirstPageIT {
    private static final Pattern ONCE = Pattern.compile("(# )?vcpu (\\d+): wrote ([0-9.]+) MiB once in (\\d+\\.\\d{3}) s");

    @ParameterizedTest(name = "limit {0} MB/s, ring {1}")
    @CsvSource({"1, 4096", "5, 4096", "50, 4096", "200, 4096", "1, 65536", "5, 65536", "50, 65536", "200, 65536"})
    void noSampleAbove110PercentFromTheSecondFullSecondOn(int limit, int ring) throws Exception {
        int seconds = 7;
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM,
                List.of("-Xmx1500m", ToyVmProcess.javaagent("profile=toyvm,limit=" + limit)), // room for 600M of RAM
                "--vcpus", "2", "--workload", "0:seq,1:warmup", "--mem", "600M", "--ring", Integer.toString(ring),
                "--seconds", Integer.toString(seconds), "--stats", "csv")) {
            await().atMost(Duration.ofSeconds(seconds * 4L + 30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !vm.jvm.isAlive() || vm.lastSecond() >= seconds);
            List<RateCsv.Row> rows = RateCsv.rows(vm.jvm.out());
            for (int vcpu = 0; vcpu < 2; vcpu++) {
                int v = vcpu;
                List<RateCsv.Row> mine = rows.stream().filter(r -> r.vcpu() == v).toList();
                System.out.printf("limit %d, ring %d, vCPU %d (%s): %s%n", limit, ring, vcpu, v == 0 ? "seq" : "warmup",
                        mine.stream().map(r -> String.format("%.2f", r.mbps())).toList());
                assertThat(mine).as("vCPU %d rows\n%s", vcpu, vm.jvm.tail()).hasSizeGreaterThanOrEqualTo(seconds - 1);
                for (RateCsv.Row row : mine) {
                    if (row.second() >= 2) {
                        assertThat(row.mbps()).as("vCPU %d, second %d", vcpu, row.second()).isLessThanOrEqualTo(1.10 * limit);
                    }
                }
                // the writer is held at the limit, not starved below it (nor dead); by the median, as a second
                // of a machine busy with other work pulls a writer below its limit without the limit at fault
                List<Double> late = mine.stream().filter(r -> r.second() >= 4).map(RateCsv.Row::mbps).toList();
                assertThat(late).as("vCPU %d rows from second 4", vcpu).isNotEmpty();
                assertThat(RateCsv.median(late)).as("vCPU %d median from second 4: %s", vcpu, late)
                        .isGreaterThanOrEqualTo(0.90 * limit);
            }
        }
    }

    @Test
    void twoHundredFiftySixSmallVcpusEachSitOnTheirLimitFromTheThirdSecond() throws Exception {
        int seconds = 7;
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM,
                List.of("-Xmx3g", ToyVmProcess.javaagent("profile=toyvm,limit=2")),
                "--vcpus", "256", "--mem", "2G", "--dirty-rate", "20", "--seconds", Integer.toString(seconds),
                "--stats", "csv")) {
            await().atMost(Duration.ofSeconds(seconds * 6L + 60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !vm.jvm.isAlive() || vm.lastSecond() >= seconds);
            List<RateCsv.Row> settled = RateCsv.rows(vm.jvm.out()).stream()
                    .filter(r -> r.second() >= 3 && r.second() <= seconds).toList();
            assertThat(settled.stream().map(RateCsv.Row::vcpu).distinct().count()).as(vm.jvm.tail()).isEqualTo(256);
            List<RateCsv.Row> above = settled.stream().filter(r -> r.mbps() > 2.2).toList();
            List<RateCsv.Row> below = settled.stream().filter(r -> r.mbps() < 1.8).toList();
            System.out.printf("256 vCPUs at limit 2: %d samples from second 3, %d above 2.2, %d below 1.8%n", settled.size(),
                    above.size(), below.size());
            for (int vcpu = 0; vcpu < 256; vcpu++) {
                int v = vcpu;
                List<Double> mine = settled.stream().filter(r -> r.vcpu() == v).map(RateCsv.Row::mbps).toList();
                // The toy VM reads 256 vCPUs' counters one after the other against one period: a harvest that
                // stalls midway moves pages of the later vCPUs from one second into the next (2.3 then 1.7 seen
                // in CI, for vCPUs 151 on). So the limit is held to 110 % over every two seconds, 125 % in any one.
                for (int i = 0; i < mine.size(); i++) {
                    assertThat(mine.get(i)).as("vCPU %d, sample %d from second 3: %s", vcpu, i, mine).isLessThanOrEqualTo(2.5);
                    if (i > 0) {
                        assertThat((mine.get(i - 1) + mine.get(i)) / 2).as("vCPU %d, samples %d-%d from second 3: %s", vcpu, i - 1, i,
                                mine).isLessThanOrEqualTo(2.2);
                    }
                }
                assertThat(RateCsv.median(mine)).as("vCPU %d's median second from second 3, held at 2 MB/s, not starved: %s", vcpu,
                        mine).isGreaterThanOrEqualTo(1.8);
            }
        }
    }

    @Test
    void aOneShotWriteOf64MiBUnder5MBpsTakesTheTimeTheLimitSays() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM,
                List.of(ToyVmProcess.javaagent("profile=toyvm,limit=5")),
                "--vcpus", "1", "--mem", "64M", "--workload", "once", "--seconds", "30", "--stats", "csv")) {
            Matcher[] done = new Matcher[1];
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .failFast("the emulator died", () -> !vm.jvm.isAlive())
                    .until(() -> (done[0] = onceLine(vm.jvm.out()).orElse(null)) != null);
            double seconds = Double.parseDouble(done[0].group(4));
            System.out.printf("once: 64 MiB under limit=5 took %.3f s (the limit says 12.8)%n", seconds);
            assertThat(done[0].group(3)).isEqualTo("64");
            assertThat(seconds).isBetween(12.0, 16.0);
        }
    }

    private static Optional<Matcher> onceLine(List<String> out) {
        for (String line : List.copyOf(out)) {
            Matcher m = ONCE.matcher(line);
            if (m.matches()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
