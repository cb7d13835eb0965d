package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The limit guarantee on virtual time: from the moment a limit applies, pages dirtied over any window
 * W stay within quota * W plus two throttle points' pages (one in flight, one of credit), at any
 * speed, with no controller period run; a steady vCPU runs at its quota, not below it; a limit
 * changed or cancelled mid-sleep takes effect at once.
 */
class PacingGuardTest {
    private static final long MS = 1_000_000;
    private static final long SECOND = 1_000 * MS;
    private static final double PAGES_PER_MB = 256;
    private final FakeTime time = new FakeTime();

    /**
     * A vCPU dirtying {@code batch} pages per call at {@code speedMBps} of its own (time passes
     * while it dirties, and while it sleeps), recording when each call reported how many pages.
     */
    private final class SteadyVcpu {
        final Vcpu vcpu;
        final double speedMBps;
        final int batch;
        final int ringPages;
        final List<long[]> reports = new ArrayList<>();
        long sinceRingFull;

        SteadyVcpu(Vcpu vcpu, double speedMBps, int batch, int ringPages) {
            this.vcpu = vcpu;
            this.speedMBps = speedMBps;
            this.batch = batch;
            this.ringPages = ringPages;
        }

        void runUntil(long endNanos) {
            long nanosPerBatch = Math.max(1, Math.round(batch / (speedMBps * PAGES_PER_MB) * SECOND));
            while (time.nowNanos + nanosPerBatch <= endNanos) {
                time.nowNanos += nanosPerBatch;
                reports.add(new long[] {time.nowNanos, batch});
                vcpu.pagesDirtied(batch);
                sinceRingFull += batch;
                if (ringPages > 0 && sinceRingFull >= ringPages) {
                    sinceRingFull -= ringPages;
                    vcpu.ringFull();
                }
            }
        }

        /** The most pages reported at instants within any window of {@code window} ns from {@code from}. */
        long mostPagesInWindow(long from, long window) {
            long most = 0;
            long inWindow = 0;
            int first = 0;
            for (int i = 0; i < reports.size(); i++) {
                long[] report = reports.get(i);
                if (report[0] < from) {
                    first = i + 1;
                    continue;
                }
                inWindow += report[1];
                while (reports.get(first)[0] <= report[0] - window) {
                    inWindow -= reports.get(first)[1];
                    first++;
                }
                most = Math.max(most, inWindow);
            }
            return most;
        }

        long pagesBetween(long from, long to) {
            return reports.stream().filter(r -> r[0] > from && r[0] <= to).mapToLong(r -> r[1]).sum();
        }
    }

    private DirtyLimiter guardedLimiter(int quantum) {
        return time.limiter().guard(GuardMode.ON).quantumPages(quantum).build();
    }

    @ParameterizedTest(name = "{0} MB/s vCPU, limit {1}, batch {2}, quantum {3}, ring {4}")
    @CsvSource({
        "1e6, 1, 1, 256, 4096",
        "2000, 1, 1, 256, 65536",
        "2000, 5, 4, 256, 4096",
        "500, 200, 16, 256, 4096",
        "500, 200, 256, 256, 4096",
        "201, 200, 8, 256, 4096",
        "300, 200, 1, 256, 4096",
        "3000, 50, 64, 256, 4096",
        "3000, 50, 64, 0, 1024",
        "150, 200, 16, 256, 4096",
    })
    void anyWindowHoldsQuotaPlusTwoPointsAndASteadyVcpuRunsAtItsQuota(
            double speed, double limit, int batch, int quantum, int ring) {
        try (DirtyLimiter limiter = guardedLimiter(quantum)) {
            SteadyVcpu steady = new SteadyVcpu(limiter.registerVcpu(0), speed, batch, ring);
            long start = time.nowNanos;
            limiter.setVcpuDirtyLimit(0, limit); // no controller period is ever run
            steady.runUntil(start + 10 * SECOND);

            long pointPages = Math.max(batch, quantum > 0 ? limiter.vcpu(0).quantumPages() : ring);
            for (long window : new long[] {10 * MS, 100 * MS, SECOND, 5 * SECOND}) {
                double allowed = limit * PAGES_PER_MB * window / SECOND + 2 * pointPages;
                assertThat((double) steady.mostPagesInWindow(start, window))
                        .as("window %d ms", window / MS).isLessThanOrEqualTo(allowed);
            }
            double mean = steady.pagesBetween(start + SECOND, start + 10 * SECOND) / PAGES_PER_MB / 9;
            assertThat(mean).as("mean rate, seconds 1-10")
                    .isBetween(0.98 * Math.min(speed, limit), 1.0 * Math.min(speed, limit) + 2 * pointPages / PAGES_PER_MB);
        }
    }

    @ParameterizedTest(name = "on {0} ms, off {1} ms")
    @CsvSource({"30, 70", "5, 5", "1, 200", "300, 700"})
    void anIdleVcpuBanksNoMoreThanOneBurst(long onMillis, long offMillis) {
        try (DirtyLimiter limiter = guardedLimiter(256)) {
            SteadyVcpu bursty = new SteadyVcpu(limiter.registerVcpu(0), 3000, 1, 4096);
            long start = time.nowNanos;
            limiter.setVcpuDirtyLimit(0, 50);
            while (time.nowNanos < start + 5 * SECOND) {
                bursty.runUntil(time.nowNanos + onMillis * MS);
                time.nowNanos += offMillis * MS;
            }
            long pointPages = limiter.vcpu(0).quantumPages();
            for (long window : new long[] {2 * MS, 10 * MS, 100 * MS, SECOND}) {
                double allowed = 50 * PAGES_PER_MB * window / SECOND + 2 * pointPages;
                assertThat((double) bursty.mostPagesInWindow(start, window))
                        .as("window %d ms", window / MS).isLessThanOrEqualTo(allowed);
            }
        }
    }

    @ParameterizedTest(name = "every wait ends {0} us late")
    @CsvSource({"60", "300", "1500", "5000", "15000"})
    void lateWakeUpsAreGivenBackSoTheMeanRateStaysOnTheQuota(long lateMicros) {
        try (DirtyLimiter limiter = guardedLimiter(256)) {
            time.oversleepNanos = lateMicros * 1000;
            SteadyVcpu steady = new SteadyVcpu(limiter.registerVcpu(0), 1000, 2, 4096);
            long start = time.nowNanos;
            limiter.setVcpuDirtyLimit(0, 200);
            steady.runUntil(start + 10 * SECOND);
            double mean = steady.pagesBetween(start + SECOND, start + 10 * SECOND) / PAGES_PER_MB / 9;
            assertThat(mean).isBetween(0.995 * 200, 1.005 * 200);
            // what is given back is at most the lateness itself (capped at 20 ms) beyond the usual bound
            double owed = Math.min(lateMicros * 1000, PacingGuard.MAX_OWED_NANOS) * 200 * PAGES_PER_MB / SECOND;
            double allowed = 200 * PAGES_PER_MB * 0.1 + 2 * limiter.vcpu(0).quantumPages() + owed;
            assertThat((double) steady.mostPagesInWindow(start, 100 * MS)).isLessThanOrEqualTo(allowed);
        }
    }

    @Test
    void theFirstPageAfterTheLimitIsPacedWithoutAnyControllerPeriod() {
        try (DirtyLimiter limiter = guardedLimiter(256)) {
            SteadyVcpu steady = new SteadyVcpu(limiter.registerVcpu(0), 10_000, 1, 4096);
            limiter.setVcpuDirtyLimit(0, 5);
            long start = time.nowNanos;
            steady.runUntil(start + 200 * MS);
            // 5 MB/s is 1280 pages/s: 256 in 200 ms (+ the point's one page in flight)
            assertThat(steady.pagesBetween(start, start + 200 * MS)).isBetween(255L, 258L);
        }
    }

    @Test
    void unguardedTheFirstPeriodIsFreeAsInQemu() {
        try (DirtyLimiter limiter = time.limiter().guard(GuardMode.OFF).build()) {
            SteadyVcpu steady = new SteadyVcpu(limiter.registerVcpu(0), 10_000, 1, 4096);
            limiter.setVcpuDirtyLimit(0, 5);
            long start = time.nowNanos;
            steady.runUntil(start + 200 * MS);
            assertThat(steady.pagesBetween(start, start + 200 * MS)).isGreaterThan(100 * 256L);
        }
    }

    @Test
    void aVcpuThatSpeedsUpFiftyFoldIsHeldAtItsNextPoint() {
        try (DirtyLimiter limiter = guardedLimiter(256)) {
            Vcpu vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 100);
            long start = time.nowNanos;
            new SteadyVcpu(vcpu, 50, 4, 4096).runUntil(start + 2 * SECOND);
            limiter.runControllerPeriod();
            SteadyVcpu fast = new SteadyVcpu(vcpu, 2500, 4, 4096);
            long fastFrom = time.nowNanos;
            fast.runUntil(fastFrom + 2 * SECOND);
            double allowed = 100 * PAGES_PER_MB * 0.1 + 2 * vcpu.quantumPages();
            assertThat((double) fast.mostPagesInWindow(fastFrom, 100 * MS)).isLessThanOrEqualTo(allowed);
        }
    }

    @Test
    void aLimitRaisedMidSleepEndsTheWaitAndPacesAtTheNewLimitFromThere() {
        try (DirtyLimiter limiter = guardedLimiter(256)) {
            Vcpu vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 0.01); // 2.56 pages/s
            time.onSleep = call -> {
                if (call == 3) {
                    limiter.setVcpuDirtyLimit(0, 100);
                }
            };
            long before = time.nowNanos;
            vcpu.pagesDirtied(1); // sees the limit and is charged: a point that waits 390 ms, in 20 ms chunks
            assertThat(time.sleepCalls).hasSize(3); // the change unparks it after the third chunk
            assertThat(time.nowNanos - before).isEqualTo(60 * MS);
            time.onSleep = call -> { };
            SteadyVcpu steady = new SteadyVcpu(vcpu, 1000, 4, 4096);
            long from = time.nowNanos;
            steady.runUntil(from + SECOND);
            assertThat(steady.pagesBetween(from, from + SECOND) / PAGES_PER_MB).isBetween(98.0, 102.0);
        }
    }

    @Test
    void aCancelMidSleepEndsTheWaitAndNothingIsPacedAfter() {
        try (DirtyLimiter limiter = guardedLimiter(256)) {
            Vcpu vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 0.01);
            time.onSleep = call -> {
                if (call == 2) {
                    limiter.cancelVcpuDirtyLimit(0);
                }
            };
            vcpu.pagesDirtied(1); // a point that would wait 390 ms
            assertThat(time.sleepCalls).hasSize(2);
            time.sleepCalls.clear();
            SteadyVcpu steady = new SteadyVcpu(vcpu, 1000, 4, 4096);
            long from = time.nowNanos;
            steady.runUntil(from + SECOND);
            assertThat(time.sleepCalls).isEmpty();
            assertThat(steady.pagesBetween(from, from + SECOND) / PAGES_PER_MB).isCloseTo(1000, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void aHugeStoreUnderATinyLimitSleepsTheLongestSleepWithoutOverflow() {
        try (DirtyLimiter limiter = guardedLimiter(1)) {
            Vcpu vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 1e-9);
            assertThatCode(() -> vcpu.pagesDirtied(Integer.MAX_VALUE)).doesNotThrowAnyException();
            assertThat(time.totalSleptRequested()).isEqualTo(ThrottleSleep.MAX_SLEEP_NANOS);
        }
    }

    @Test
    void theBaselinesStayUnguardedUnlessAskedAndTheModeCanChangeLive() {
        try (DirtyLimiter limiter = DirtyLimiter.builder().ticker(time).sleeper(time).manualControl()
                .policy("qemu").build()) {
            assertThat(limiter.guard()).isEqualTo(GuardMode.AUTO);
            assertThat(limiter.isGuarded()).isFalse();
            limiter.setPolicy("v9");
            assertThat(limiter.isGuarded()).isFalse();
            limiter.setPolicy("model");
            assertThat(limiter.isGuarded()).isTrue();
            limiter.setPolicy("qemu");
            limiter.setGuard(GuardMode.ON);
            assertThat(limiter.isGuarded()).isTrue();
            limiter.setGuard(GuardMode.OFF);
            limiter.setPolicy("model");
            assertThat(limiter.isGuarded()).isFalse();
        }
    }

    @Test
    void turningTheGuardOnLiveHoldsAVcpuAlreadyLimited() {
        try (DirtyLimiter limiter = time.limiter().guard(GuardMode.OFF).build()) {
            Vcpu vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 50);
            SteadyVcpu steady = new SteadyVcpu(vcpu, 3000, 16, 4096);
            steady.runUntil(time.nowNanos + 100 * MS);
            limiter.setGuard(GuardMode.ON);
            long from = time.nowNanos;
            steady.runUntil(from + SECOND);
            assertThat(steady.pagesBetween(from, from + SECOND) / PAGES_PER_MB).isBetween(49.0, 51.0);
        }
    }

    @Test
    void queryShowsThePacedSleepPerPoint() {
        try (DirtyLimiter limiter = guardedLimiter(256)) {
            Vcpu vcpu = limiter.registerVcpu(0);
            limiter.setVcpuDirtyLimit(0, 200);
            new SteadyVcpu(vcpu, 400, 2, 4096).runUntil(time.nowNanos + SECOND);
            limiter.runControllerPeriod();
            DirtyLimitInfo row = limiter.queryVcpuDirtyLimit().get(0);
            assertThat(row.currentRate()).isCloseTo(200, org.assertj.core.data.Offset.offset(2.0));
            // a point every 2 ms at the quota, half of it asleep at twice the quota's speed
            assertThat(row.pagesPerThrottlePoint()).isEqualTo(102);
            assertThat(row.sleepNanosPerThrottlePoint()).isCloseTo(MS, org.assertj.core.data.Offset.offset(MS / 20));
        }
    }

    @Test
    void guardModesParseFromOptionText() {
        assertThat(GuardMode.parse("ON")).isEqualTo(GuardMode.ON);
        assertThat(GuardMode.parse(" off ")).isEqualTo(GuardMode.OFF);
        assertThat(GuardMode.AUTO.optionName()).isEqualTo("auto");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GuardMode.parse("yes"))
                .hasMessage("guard must be auto, on or off, got 'yes'");
    }
}
