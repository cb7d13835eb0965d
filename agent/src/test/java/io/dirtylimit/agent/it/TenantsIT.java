package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The multi-tenant runtime (TenantVm): guests on a pool of worker threads, each with its own memory at
 * guest address 0, throttled through tenants.profile alone ({@code vcpu-id space}: each memory object
 * is a unit). Checked by the runtime's own CSV, {@code t_s,guest,dirty_mbps}.
 */
class TenantsIT {
    private static String agent(String options) {
        return ToyVmProcess.javaagent("profile=" + ItPaths.examplesProfile("tenants") + (options.isEmpty() ? "" : "," + options));
    }

    @Test
    void twoGuestsOnTwoThreadsAtTheSameAddressesAreEachHeldAt50() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TENANTS, List.of(agent("limit=50")),
                "--guests", "2", "--threads", "2", "--rate", "150", "--guest-mem", "256M")) {
            double[] held = vm.awaitRates(50, 10, 0, 0, 1);
            System.out.printf("tenants: 2 guests on 2 threads at 150 MB/s, limit 50: %.1f / %.1f MB/s%n", held[0], held[1]);
        }
    }

    /**
     * Eight guests wanting 100 MB/s each on two threads, limited to 10 per guest from the start, read
     * from the runtime's own per-second rates from the fourth second through the fourteenth: the limit
     * holds all along (no guest above 11 over any three seconds), and no guest is starved by the others'
     * throttle sleeps (without the shared-thread credit each runs at 3.0-3.1). With FIFO queues every
     * guest's median second is at least 9 (each at 10). With the runtime's default earliest-due-first
     * queues only at least 5, half the limit: a throttle sleep holds the worker it happens on, and those
     * queues can settle for seconds into a round in which three guests, picked before their quota
     * allows, sleep it out on the workers while the other five get a slice only between theirs: 10.0
     * for the three, 6.0 for the five, six seconds in a row in CI (and for single seconds in 4 of 30 runs
     * here; in those 30 runs every guest's median was 9.0-10.1).
     */
    @ParameterizedTest(name = "--queue {0}: every guest''s median second at least {1}")
    @CsvSource({"fifo, 9", "due, 5"})
    void eightGuestsOnTwoThreadsAreHeldAtMost10FromTheFourthSecondAndNoneStarved(String queue, double leastMedian) throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TENANTS, List.of(agent("limit=10")),
                "--guests", "8", "--threads", "2", "--rate", "100", "--queue", queue)) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .failFast("the runtime died", () -> !vm.jvm.isAlive())
                    .until(() -> vm.lastSecond() >= 14);
            List<RateCsv.Row> rows = RateCsv.rows(vm.jvm.out());
            List<String> medians = new ArrayList<>();
            for (int guest = 0; guest < 8; guest++) {
                List<Double> mine = rates(rows, guest, 4, 14);
                assertThat(mine).as("guest %d has seconds 4-14", guest).hasSize(11);
                double median = RateCsv.median(mine);
                medians.add(String.format("%.1f", median));
                assertThat(median).as("--queue %s, guest %d, median of seconds 4-14; every guest's rates:\n%s", queue, guest,
                        everyGuest(rows)).isGreaterThanOrEqualTo(leastMedian);
                for (int from = 4; from <= 12; from++) {
                    double window = mean(rows, guest, from, from + 2).orElseThrow();
                    assertThat(window).as("--queue %s, guest %d, seconds %d-%d, limit 10; every guest's rates:\n%s", queue, guest, from, from + 2,
                            everyGuest(rows)).isLessThanOrEqualTo(11);
                }
            }
            System.out.println("tenants: 8 guests on 2 threads (--queue " + queue + ") at 100 MB/s, limit 10, medians of seconds 4-14: " + medians);
        }
    }

    /** Each guest's per-second rates, a line per guest, for messages. */
    private static String everyGuest(List<RateCsv.Row> rows) {
        StringBuilder text = new StringBuilder();
        for (int guest = 0; guest < 8; guest++) {
            text.append("guest ").append(guest).append(": ").append(seconds(rows, guest)).append('\n');
        }
        return text.toString();
    }

    private static OptionalDouble mean(List<RateCsv.Row> rows, int guest, int from, int to) {
        List<Double> mine = rates(rows, guest, from, to);
        return mine.size() == to - from + 1 ? mine.stream().mapToDouble(Double::doubleValue).average() : OptionalDouble.empty();
    }

    private static List<Double> rates(List<RateCsv.Row> rows, int guest, int from, int to) {
        return rows.stream().filter(r -> r.vcpu() == guest && r.second() >= from && r.second() <= to).map(RateCsv.Row::mbps).toList();
    }

    private static List<Double> seconds(List<RateCsv.Row> rows, int guest) {
        return rows.stream().filter(r -> r.vcpu() == guest).map(RateCsv.Row::mbps).toList();
    }

    /**
     * Prepared (no limit), four guests at 40 MB/s; {@code set --cpu 2 10} limits unit 2, whichever guest's
     * memory that is: that guest alone slows to 10, the others stay at 40; query, calc and status show
     * the unit's object (class and identity hash); cancel lets it run again.
     */
    @Test
    void aGuestLimitedBySetSlowsDownAlone() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TENANTS, List.of(agent("")),
                "--guests", "4", "--threads", "2", "--rate", "40", "--guest-mem", "128M")) {
            String pid = Long.toString(vm.pid());
            vm.awaitRates(40, 10, 0, 0, 1, 2, 3);

            ForkedJvm.Finished set = AgentCli.run("set", pid, "--cpu", "2", "10");
            assertThat(set.exitCode()).as(set.toString()).isZero();
            int setAt = vm.lastSecond();
            int[] limited = new int[1];
            await().atMost(ToyVmProcess.SETTLE).pollInterval(Duration.ofMillis(500))
                    .failFast("the runtime died", () -> !vm.jvm.isAlive())
                    .untilAsserted(() -> {
                        List<Integer> slow = new ArrayList<>();
                        for (int guest = 0; guest < 4; guest++) {
                            OptionalDouble mean = RateCsv.mean(vm.jvm.out(), guest, ToyVmProcess.WINDOW, setAt + 1);
                            assertThat(mean).as("guest %d has %d s after the set", guest, ToyVmProcess.WINDOW).isPresent();
                            if (Math.abs(mean.getAsDouble() - 10) <= 1) {
                                slow.add(guest);
                            } else {
                                assertThat(mean.getAsDouble()).as("guest %d, unlimited: %s", guest,
                                        RateCsv.last(vm.jvm.out(), guest, 8)).isCloseTo(40, within(4.0));
                            }
                        }
                        assertThat(slow).as("the guests at 10 MB/s").hasSize(1);
                        limited[0] = slow.get(0);
                    });

            ForkedJvm.Finished json = AgentCli.run("query", pid, "--json", "--all");
            assertThat(json.exitCode()).as(json.toString()).isZero();
            assertThat(json.outText()).containsPattern("\\{\"cpu-index\": 2, \"limit-rate\": 10, \"current-rate\": \\d+, \"enabled\": true,"
                    + " [^{}]*\"set-by\": \"operator\", \"pending\": false, \"unit\": \"LinearMemory@[0-9a-f]+\","
                    + " \"unit-class\": \"io.dirtylimit.examples.tenants.LinearMemory\", \"unit-identity-hash\": \"[0-9a-f]+\"\\}");
            ForkedJvm.Finished table = AgentCli.run("query", pid);
            assertThat(table.out()).anySatisfy(line -> assertThat(line).matches("vcpu\\[2] +LinearMemory@[0-9a-f]+ +10 .* operator"));
            assertThat(table.out()).anySatisfy(line -> assertThat(line).matches("vcpu\\[0] +LinearMemory@[0-9a-f]+ +- .*"));
            ForkedJvm.Finished calc = AgentCli.run("calc", pid);
            assertThat(calc.outText()).containsPattern("vcpu\\[2] LinearMemory@[0-9a-f]+: \\d+\\.\\d MB/s");
            ForkedJvm.Finished status = AgentCli.run("status", pid);
            assertThat(status.outText()).contains("vCPUs seen: [0, 1, 2, 3]", "limits: vCPU 2 10 MB/s");

            ForkedJvm.Finished cancel = AgentCli.run("cancel", pid);
            assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
            vm.awaitRates(40, 10, vm.lastSecond() + 1, limited[0]);
            System.out.printf("tenants: set --cpu 2 10 slowed guest %d alone; cancel let it run at 40 again%n", limited[0]);
        }
    }
}
