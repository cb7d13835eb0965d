package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Prepared mode end to end: a toy VM started with the agent and no limit is limited, queried,
 * recorded with {@code jcmd JFR.start} and released through the command-line tool, checked
 * against the toy VM's own CSV.
 */
class ControlToyVmIT {
    private static final Pattern QMP_ROW = Pattern.compile(
            "\\{\"return\": \\[\\{\"cpu-index\": 0, \"limit-rate\": 100, \"current-rate\": (\\d+)(, [^{}]*)?\\}\\]\\}");

    @Test
    void setQueryRecordAndCancelOneVcpu() throws Exception {
        Path recording = ItPaths.scratch().resolve("control-" + ProcessHandle.current().pid() + ".jfr");
        Files.deleteIfExists(recording);
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(ToyVmProcess.javaagent("profile=toyvm")),
                "--vcpus", "2", "--dirty-rate", "600", "--stats", "csv")) {
            String pid = Long.toString(vm.pid());
            vm.awaitSeconds(1);
            double unthrottled = vm.measure(0);
            assertThat(jcmd(pid, "JFR.start", "name=dirtylimit-it")).as("JFR.start").isZero();

            ForkedJvm.Finished set = AgentCli.run("set", pid, "--cpu", "0", "100");
            assertThat(set.exitCode()).as(set.toString()).isZero();
            assertThat(set.outText()).contains("dirty limit 100 MB/s set for vCPU 0 of process " + pid);
            int setAt = vm.lastSecond();
            double limited = vm.awaitRates(100, 10, setAt + 1, 0)[0];
            int settled = vm.lastSecond() - ToyVmProcess.WINDOW;
            vm.awaitRate(1, settled, mbps -> mbps > 0.8 * 600, "unthrottled, near its 600 MB/s");
            double free = RateCsv.mean(vm.jvm.out(), 1, ToyVmProcess.WINDOW, settled).orElseThrow();

            int[] reported = new int[1];
            // the agent's rate is read until in the band: a second of a busy machine pulls it below for a while
            await().atMost(ToyVmProcess.SETTLE).pollInterval(Duration.ofSeconds(1))
                    .failFast("the emulator died", () -> !vm.jvm.isAlive())
                    .untilAsserted(() -> {
                        ForkedJvm.Finished json = AgentCli.run("query", pid, "--json");
                        assertThat(json.exitCode()).as(json.toString()).isZero();
                        Matcher row = QMP_ROW.matcher(json.outText().trim());
                        assertThat(row.matches()).as("QMP shape: %s", json.outText()).isTrue();
                        reported[0] = Integer.parseInt(row.group(1));
                        assertThat(reported[0]).as("current-rate by the agent").isBetween(80, 120);
                    });
            ForkedJvm.Finished table = AgentCli.run("query", pid, "--all");
            assertThat(table.exitCode()).as(table.toString()).isZero();
            ForkedJvm.Finished text = AgentCli.run("query", pid);
            assertThat(text.out()).anySatisfy(line -> assertThat(line).matches("vcpu\\[0] +100 +\\d+\\.\\d +\\d+\\.\\d{3} ms +\\d+ +operator"));
            assertThat(text.out()).anySatisfy(line -> assertThat(line).matches("vcpu\\[1] +- +\\d+\\.\\d +- +\\d+ +-"));
            ForkedJvm.Finished calc = AgentCli.run("calc", pid, "--seconds", "1");
            assertThat(calc.exitCode()).as(calc.toString()).isZero();
            assertThat(calc.outText()).containsPattern("vcpu\\[0]: \\d+\\.\\d MB/s").containsPattern("total: \\d+\\.\\d MB/s");
            ForkedJvm.Finished status = AgentCli.run("status", pid);
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.outText()).contains("profile: toyvm (builtin:toyvm)", "policy: model, period 1s, quantum 256 pages, guard auto (limits paced from the first page)",
                    "hook 0 (ring-full) io.dirtylimit.examples.toyvm.Vcpu.handleRingFull()",
                    // only the migration hooks wait: the toy VM loads its Migration class on its first migration
                    "hook 2 (vcpu-step) io.dirtylimit.examples.toyvm.Vcpu.runSliceAndHandleExit()",
                    "hook 3 (line 22) migration-start",
                    "limits: vCPU 0 100 MB/s",
                    "suppressed errors in hooks: 0");

            refusedWithTheCoresMessage(pid);
            pendingForAVcpuNotSeenYet(pid);
            watchRefreshes(pid);
            ForkedJvm.Finished list = AgentCli.run("list");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out()).anySatisfy(line -> assertThat(line).matches(pid + " +active +.*ToyVm --vcpus 2.*"));

            assertThat(jcmd(pid, "JFR.dump", "name=dirtylimit-it", "filename=" + recording.toAbsolutePath())).as("JFR.dump").isZero();
            assertThat(jcmd(pid, "JFR.stop", "name=dirtylimit-it")).as("JFR.stop").isZero();

            ForkedJvm.Finished cancel = AgentCli.run("cancel", pid, "--cpu", "0");
            assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
            double released = vm.awaitFree(0, unthrottled, 15, vm.lastSecond() + 1);
            ForkedJvm.Finished none = AgentCli.run("query", pid, "--json");
            assertThat(none.outText().trim()).isEqualTo("{\"return\": []}");
            System.out.printf("control: vCPU 0 unthrottled %.1f, set 100 -> %.1f (agent's current-rate %d), vCPU 1 %.1f,"
                    + " cancelled -> %.1f MB/s%n", unthrottled, limited, reported[0], free, released);
        }
        checkRecording(recording);
    }

    private static void refusedWithTheCoresMessage(String pid) throws Exception {
        ForkedJvm.Finished badCpu = AgentCli.run("set", pid, "--cpu", "5000", "100");
        assertThat(badCpu.exitCode()).as(badCpu.toString()).isEqualTo(1);
        assertThat(badCpu.err()).containsExactly("dirtylimit: cpu index 5000 is out of range 0..1023 (the profile's max-vcpus)");
        ForkedJvm.Finished badRate = AgentCli.run("set", pid, "--cpu", "1", "-5");
        assertThat(badRate.exitCode()).as(badRate.toString()).isEqualTo(1);
        assertThat(badRate.err()).containsExactly("dirtylimit: dirty rate must be a finite number of MB/s >= 0, got -5.0");
        ForkedJvm.Finished notARate = AgentCli.run("set", pid, "fast");
        assertThat(notARate.exitCode()).as(notARate.toString()).isEqualTo(2);
        assertThat(notARate.err()).containsExactly(
                "dirtylimit: rate 'fast' is not a number of MB/s (e.g. 200, 12.5, 512K, 200M, 1G; per second)");
    }

    /** {@code set --cpu 7} for a vCPU the toy VM does not have (yet) waits for it, like {@code limit=7:100}; cancel drops it. */
    private static void pendingForAVcpuNotSeenYet(String pid) throws Exception {
        ForkedJvm.Finished pending = AgentCli.run("set", pid, "--cpu", "7", "100");
        assertThat(pending.exitCode()).as(pending.toString()).isZero();
        assertThat(pending.out()).containsExactly("dirty limit 100 MB/s set for vCPU 7 of process " + pid
                + "; pending: vCPU 7 has not been seen yet, the limit applies when it first runs");
        ForkedJvm.Finished query = AgentCli.run("query", pid);
        assertThat(query.out()).anySatisfy(line -> assertThat(line)
                .matches("vcpu\\[7] +100 +- +- +- +operator \\(pending: vCPU not seen yet\\)"));
        ForkedJvm.Finished cancel = AgentCli.run("cancel", pid, "--cpu", "7");
        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        ForkedJvm.Finished after = AgentCli.run("query", pid, "--json");
        assertThat(after.outText()).doesNotContain("\"cpu-index\": 7");
    }

    /** {@code --watch} prints a fresh table every interval until the tool is stopped. */
    private static void watchRefreshes(String pid) throws Exception {
        try (ForkedJvm watch = ForkedJvm.start(List.of(), ItPaths.agentJar().toString(), "io.dirtylimit.agent.tool.Cli",
                List.of("query", pid, "--watch", "0.2"))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .failFast("the tool ended: " + watch.tail(), () -> !watch.isAlive())
                    .until(() -> watch.out().stream().filter(line -> line.startsWith("vcpu[0] ")).count() >= 3);
            assertThat(watch.out()).filteredOn(line -> line.startsWith("process " + pid + " at ")).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    private static void checkRecording(Path recording) throws Exception {
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        assertThat(named(events, "io.dirtylimit.LimitSet")).anySatisfy(e -> {
            assertThat(e.getInt("cpuIndex")).isZero();
            assertThat(e.getDouble("limitRate")).isEqualTo(100.0);
        });
        List<RecordedEvent> adjustments = named(events, "io.dirtylimit.ThrottleAdjust");
        assertThat(adjustments).as("one adjustment per period of the limited vCPU").hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(e -> {
                    assertThat(e.getInt("cpuIndex")).isZero();
                    assertThat(e.getString("policy")).as("paced by the limit guarantee").isEqualTo("pacing");
                    assertThat(e.getDouble("quota")).isEqualTo(100.0);
                    assertThat(e.getDouble("measuredRate")).isPositive();
                    assertThat(e.getLong("pagesPerPoint")).isPositive();
                });
        assertThat(adjustments).anySatisfy(e -> assertThat(e.getLong("newSleep")).isPositive());
        List<RecordedEvent> snapshots = named(events, "io.dirtylimit.VcpuDirtyLimit");
        assertThat(snapshots).anySatisfy(e -> {
            assertThat(e.getInt("cpuIndex")).isZero();
            assertThat(e.getBoolean("enabled")).isTrue();
            assertThat(e.getDouble("limitRate")).isEqualTo(100.0);
            assertThat(e.getLong("sleepPerPoint")).isPositive();
        });
        assertThat(snapshots).anySatisfy(e -> {
            assertThat(e.getInt("cpuIndex")).isOne();
            assertThat(e.getBoolean("enabled")).isFalse();
            assertThat(e.getDouble("currentRate")).isGreaterThan(300);
        });
        System.out.printf("control: recording has %d adjustments, %d vCPU snapshots%n", adjustments.size(), snapshots.size());
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    private static int jcmd(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("jcmd timed out: " + command);
        }
        return process.exitValue();
    }
}
