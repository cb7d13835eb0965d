package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

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
     * Eight guests wanting 100 MB/s each on two threads, limited to 10 per guest from the start: every
     * guest within 10 % of 10 from the fourth second on, read as the runtime's own per-second rates
     * averaged over three seconds (4-6, 7-9, 10-12), and no single second of any guest off by more
     * than a quarter.
     */
    @Test
    void eightGuestsOnTwoThreadsAreEachHeldAt10FromTheFourthSecond() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TENANTS, List.of(agent("limit=10")),
                "--guests", "8", "--threads", "2", "--rate", "100")) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .failFast("the runtime died", () -> !vm.jvm.isAlive())
                    .until(() -> vm.lastSecond() >= 12);
            List<RateCsv.Row> rows = RateCsv.rows(vm.jvm.out());
            List<String> means = new ArrayList<>();
            for (int guest = 0; guest < 8; guest++) {
                for (int from = 4; from <= 10; from += 3) {
                    OptionalDouble mean = mean(rows, guest, from, from + 2);
                    assertThat(mean).as("guest %d has seconds %d-%d", guest, from, from + 2).isPresent();
                    means.add(String.format("%.1f", mean.getAsDouble()));
                    assertThat(mean.getAsDouble()).as("guest %d, seconds %d-%d: %s\n%s", guest, from, from + 2,
                            seconds(rows, guest), vm.jvm.tail()).isCloseTo(10, within(1.0));
                }
                for (RateCsv.Row row : rows) {
                    if (row.vcpu() == guest && row.second() >= 4 && row.second() <= 12) {
                        assertThat(row.mbps()).as("guest %d second %d: %s", guest, row.second(), seconds(rows, guest))
                                .isCloseTo(10, within(2.5));
                    }
                }
            }
            System.out.println("tenants: 8 guests on 2 threads at 100 MB/s, limit 10, 3-second means from t=4: " + means);
        }
    }

    private static OptionalDouble mean(List<RateCsv.Row> rows, int guest, int from, int to) {
        List<RateCsv.Row> mine = rows.stream().filter(r -> r.vcpu() == guest && r.second() >= from && r.second() <= to).toList();
        return mine.size() == to - from + 1 ? mine.stream().mapToDouble(RateCsv.Row::mbps).average() : OptionalDouble.empty();
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
