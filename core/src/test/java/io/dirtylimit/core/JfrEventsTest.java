package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records the core's JFR events in-process and reads them back. */
class JfrEventsTest {

    @Test
    void recordsLimitsAdjustmentsAndLongSleepsOnly(@TempDir Path dir) throws Exception {
        FakeTime time = new FakeTime();
        Path file = dir.resolve("dirtylimit.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.dirtylimit.LimitSet");
            recording.enable("io.dirtylimit.LimitCancelled");
            recording.enable("io.dirtylimit.ThrottleAdjust");
            recording.enable("io.dirtylimit.ThrottleSleep").withThreshold(Duration.ZERO);
            recording.start();
            try (DirtyLimiter limiter = time.limiter().build()) {
                Vcpu vcpu = limiter.registerVcpu(3);
                limiter.setVcpuDirtyLimit(3, 200);
                vcpu.pagesDirtied(1);
                for (int i = 0; i < 500; i++) {
                    time.advanceMillis(2);
                    vcpu.pagesDirtied(256); // 500 MB/s
                }
                limiter.runControllerPeriod(); // model: 3 ms per 256-page point
                vcpu.pagesDirtied(256); // a 3 ms sleep: recorded
                vcpu.pagesDirtied(64); // below the quantum: no point
                limiter.setQuantumPages(16);
                vcpu.pagesDirtied(16); // a point for 80 pages: 0.94 ms, below the 1 ms threshold: not recorded
                limiter.cancelVcpuDirtyLimit(3);
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(Files.size(file)).isPositive();

        RecordedEvent set = only(events, "io.dirtylimit.LimitSet");
        assertThat(set.getInt("cpuIndex")).isEqualTo(3);
        assertThat(set.getDouble("limitRate")).isEqualTo(200.0);
        assertThat(set.getEventType().getCategoryNames()).containsExactly("dirtylimit");
        assertThat(set.getEventType().getLabel()).isEqualTo("Dirty Limit Set");

        RecordedEvent adjust = only(events, "io.dirtylimit.ThrottleAdjust");
        assertThat(adjust.getInt("cpuIndex")).isEqualTo(3);
        assertThat(adjust.getString("policy")).isEqualTo("model");
        assertThat(adjust.getDouble("quota")).isEqualTo(200.0);
        assertThat(adjust.getDouble("measuredRate")).isCloseTo(500, org.assertj.core.data.Offset.offset(0.01));
        assertThat(adjust.getLong("oldSleep")).isZero();
        assertThat(adjust.getLong("newSleep")).isCloseTo(3_000_000L, org.assertj.core.data.Offset.offset(10L));

        RecordedEvent sleep = only(events, "io.dirtylimit.ThrottleSleep");
        assertThat(sleep.getInt("cpuIndex")).isEqualTo(3);
        assertThat(sleep.getLong("pages")).isEqualTo(256);
        assertThat(sleep.getLong("requested")).isCloseTo(3_000_000L, org.assertj.core.data.Offset.offset(10L));
        assertThat(sleep.getLong("slept")).isEqualTo(sleep.getLong("requested"));

        assertThat(only(events, "io.dirtylimit.LimitCancelled").getInt("cpuIndex")).isEqualTo(3);
    }

    @Test
    void aPacedVcpuRecordsItsPeriodsAsPacing(@TempDir Path dir) throws Exception {
        FakeTime time = new FakeTime();
        Path file = dir.resolve("paced.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.dirtylimit.ThrottleAdjust");
            recording.start();
            try (DirtyLimiter limiter = time.limiter().guard(GuardMode.ON).build()) {
                Vcpu vcpu = limiter.registerVcpu(2);
                limiter.setVcpuDirtyLimit(2, 100);
                for (int i = 0; i < 2000; i++) {
                    time.advanceMillis(1); // 51 pages per ms: 200 MB/s of its own, paced to 100
                    vcpu.pagesDirtied(51);
                }
                limiter.runControllerPeriod();
            }
            recording.stop();
            recording.dump(file);
        }
        RecordedEvent adjust = only(RecordingFile.readAllEvents(file), "io.dirtylimit.ThrottleAdjust");
        assertThat(adjust.getString("policy")).isEqualTo("pacing");
        assertThat(adjust.getInt("cpuIndex")).isEqualTo(2);
        assertThat(adjust.getDouble("quota")).isEqualTo(100.0);
        assertThat(adjust.getDouble("measuredRate")).isCloseTo(100, org.assertj.core.data.Offset.offset(2.0));
        assertThat(adjust.getLong("newSleep")).isPositive();
    }

    @Test
    void periodicSnapshotsReportEveryVcpuOfALimiterWithALimitOnly() throws Exception {
        FakeTime time = new FakeTime();
        List<RecordedEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch bothVcpus = new java.util.concurrent.CountDownLatch(2);
        try (DirtyLimiter idle = time.limiter().build();
             DirtyLimiter limiter = time.limiter().build();
             jdk.jfr.consumer.RecordingStream stream = new jdk.jfr.consumer.RecordingStream()) {
            idle.registerVcpu(7);
            stream.enable("io.dirtylimit.VcpuDirtyLimit").withPeriod(Duration.ofMillis(20));
            stream.onEvent("io.dirtylimit.VcpuDirtyLimit", event -> {
                seen.add(event);
                if (event.getInt("cpuIndex") < 2) {
                    bothVcpus.countDown();
                }
            });
            limiter.registerVcpu(0);
            limiter.registerVcpu(1);
            limiter.setVcpuDirtyLimit(0, 100);
            stream.startAsync();
            assertThat(bothVcpus.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("snapshots of vCPUs 0 and 1").isTrue();
        }
        assertThat(seen).noneMatch(e -> e.getInt("cpuIndex") == 7);
        RecordedEvent limited = seen.stream().filter(e -> e.getInt("cpuIndex") == 0).findFirst().orElseThrow();
        assertThat(limited.getBoolean("enabled")).isTrue();
        assertThat(limited.getDouble("limitRate")).isEqualTo(100.0);
        assertThat(limited.getEventType().getCategoryNames()).containsExactly("dirtylimit");
        RecordedEvent free = seen.stream().filter(e -> e.getInt("cpuIndex") == 1).findFirst().orElseThrow();
        assertThat(free.getBoolean("enabled")).isFalse();
        assertThat(free.getDouble("limitRate")).isZero();
        assertThat(free.getLong("sleepPerPoint")).isZero();
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name) {
        List<RecordedEvent> named = events.stream()
                .filter(e -> e.getEventType().getName().equals(name))
                .collect(Collectors.toList());
        assertThat(named).as(name).hasSize(1);
        return named.get(0);
    }
}
