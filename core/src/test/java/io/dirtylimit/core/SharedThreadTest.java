package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * vCPUs that share a thread, as the guests of a multi-tenant runtime do: one worker thread runs four
 * guests in turn, 2 ms slices each, every guest wanting 100 MB/s and limited to 10. A throttle sleep
 * holds the worker, so the guests queued behind it wait; with one throttle point of credit (the
 * default) they lose their quota meanwhile, with the shared-thread credit they keep it. Virtual time.
 */
class SharedThreadTest {
    private static final long MS = 1_000_000;
    private static final long SLICE = 2 * MS;
    private static final double PAGES_PER_MB = 256;
    private final FakeTime time = new FakeTime();

    /** Each guest's pages per second over the last {@code measure} of {@code run}, all run on one thread. */
    private double[] ratesOnOneThread(DirtyLimiter limiter, int guests, double quota, double speed, long run, long measure) {
        List<Vcpu> vcpus = new ArrayList<>();
        for (int g = 0; g < guests; g++) {
            vcpus.add(limiter.registerVcpu(g));
            limiter.setVcpuDirtyLimit(g, quota);
        }
        long nanosPerPage = Math.round(1e9 / (speed * PAGES_PER_MB));
        long start = time.nowNanos;
        long[] pagesAtMeasure = new long[guests];
        boolean measuring = false;
        while (time.nowNanos - start < run) {
            if (!measuring && time.nowNanos - start >= run - measure) {
                measuring = true;
                for (int g = 0; g < guests; g++) {
                    pagesAtMeasure[g] = vcpus.get(g).pagesDirtiedTotal();
                }
            }
            for (Vcpu vcpu : vcpus) {
                long sliceEnd = time.nowNanos + SLICE;
                while (time.nowNanos < sliceEnd) {
                    time.nowNanos += nanosPerPage;
                    vcpu.pagesDirtied(1);
                }
            }
        }
        double[] rates = new double[guests];
        for (int g = 0; g < guests; g++) {
            rates[g] = (vcpus.get(g).pagesDirtiedTotal() - pagesAtMeasure[g]) / PAGES_PER_MB / (measure / 1e9);
        }
        return rates;
    }

    @Test
    void withOnePointOfCreditGuestsOnASharedThreadFallFarBelowTheirQuota() {
        DirtyLimiter limiter = time.limiter().guard(GuardMode.ON).build();
        double[] rates = ratesOnOneThread(limiter, 4, 10, 100, 10_000 * MS, 5_000 * MS);
        for (double rate : rates) {
            assertThat(rate).as("each guest's MB/s: %s", java.util.Arrays.toString(rates)).isLessThan(7);
        }
    }

    @Test
    void withSharedThreadCreditEachGuestKeepsItsQuota() {
        DirtyLimiter limiter = time.limiter().guard(GuardMode.ON).sharedThreadCredit(Duration.ofMillis(50)).build();
        double[] rates = ratesOnOneThread(limiter, 4, 10, 100, 10_000 * MS, 5_000 * MS);
        for (double rate : rates) {
            assertThat(rate).as("each guest's MB/s: %s", java.util.Arrays.toString(rates)).isCloseTo(10, within(0.3));
        }
        assertThat(limiter.sharedThreadCredit()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void theCreditBoundsWhatAnIdleGuestMayDirtyAtOnce() {
        DirtyLimiter limiter = time.limiter().guard(GuardMode.ON).sharedThreadCredit(Duration.ofMillis(50)).build();
        Vcpu vcpu = limiter.registerVcpu(0);
        limiter.setVcpuDirtyLimit(0, 10);
        vcpu.pagesDirtied(1); // the vCPU follows the new limit: its clock starts, with no credit
        time.advanceMillis(5_000);
        int sleepsBefore = time.sleepCalls.size();
        long start = time.nowNanos;
        for (int page = 0; page < 2_560; page++) {
            vcpu.pagesDirtied(1);
        }
        // 2560 pages (10 MB) at 10 MB/s take 1 s; 50 ms of them (128 pages) were credit: 0.95 s of sleep.
        assertThat(time.sleepCalls.size()).isGreaterThan(sleepsBefore);
        assertThat((time.nowNanos - start) / 1e9).isCloseTo(0.95, within(0.01));
    }

    @Test
    void creditOutOfRangeIsRefused() {
        assertThatThrownBy(() -> DirtyLimiter.builder().sharedThreadCredit(Duration.ofSeconds(2)))
                .hasMessage("shared-thread credit must be from 0 to 1s, got 2s");
        assertThatThrownBy(() -> DirtyLimiter.builder().sharedThreadCredit(Duration.ofMillis(-1)))
                .hasMessageStartingWith("shared-thread credit must be from 0 to 1s");
    }
}
