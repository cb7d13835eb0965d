package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class DemandCurveTest {
    private static final int PAGE = 4096;

    /** ns per 4 KiB page at a rate in MB/s. */
    private static double nanosPerPage(double mbPerSec) {
        return 1e9 * PAGE / (mbPerSec * (1 << 20));
    }

    @Test
    void plainModelIsOneSpeed() {
        // tau = 2 ms per 256-page point (500 MB/s): rate at s is P/(tau + s)
        DemandCurve curve = DemandCurve.linear(2e6, 256, PAGE);
        assertThat(curve.isMeasured()).isFalse();
        assertThat(curve.rateAt(0)).isCloseTo(500, offset(1e-9));
        assertThat(curve.rateAt(3e6)).isCloseTo(200, offset(1e-9));
        assertThat(curve.sleepNanosPerPointFor(200)).isCloseTo(3e6, offset(1.0));
        assertThat(curve.sleepNanosPerPointFor(600)).isZero();
        assertThat(DemandCurve.linear(Double.NaN, 256, PAGE).sleepNanosPerPointFor(200)).isNaN();
    }

    @Test
    void measuredBurstsCostMoreThanTheirMeanSuggests() {
        // 40 % of the wall time at 1500 MB/s, 60 % at 100 MB/s: 660 MB/s on average.
        long[] before = new long[DemandHistogram.size()];
        long[] after = new long[DemandHistogram.size()];
        fill(after, 1500, 400_000_000L);
        fill(after, 100, 600_000_000L);
        DemandCurve curve = DemandCurve.measured(before, after, 256, PAGE, Double.NaN);
        assertThat(curve.isMeasured()).isTrue();
        assertThat(curve.rateAt(0)).isCloseTo(660, offset(1e-6));
        // sigma per page solves 0.4/(1/1500 + sigma) + 0.6/(1/100 + sigma) = 300 (in s per MB):
        // sigma = 0.00096415 s/MB, i.e. 3.7662 us per page, 964.15 us per 256-page point.
        // The plain model would ask for 1/300 - 1/660 = 0.0018182 s/MB: nearly twice as much.
        double sleep = curve.sleepNanosPerPointFor(300);
        assertThat(sleep).isCloseTo(0.0009641479964832678 * 1e9 * 256 * PAGE / (1 << 20), offset(1.0));
        assertThat(curve.rateAt(sleep)).isCloseTo(300, offset(1e-3));
    }

    /** One unthrottled bucket: pages at {@code mbPerSec} for {@code wallNanos}. */
    private static void fill(long[] sums, double mbPerSec, long wallNanos) {
        double perPage = nanosPerPage(mbPerSec);
        long pages = Math.round(wallNanos / perPage);
        int bucket = DemandHistogram.bucket((long) perPage);
        sums[DemandHistogram.slot(bucket, DemandHistogram.PAGES)] += pages;
        sums[DemandHistogram.slot(bucket, DemandHistogram.AWAKE)] += wallNanos;
        sums[DemandHistogram.slot(bucket, DemandHistogram.WALL)] += wallNanos;
    }

    @Test
    void histogramSumsCyclesBySpeed() {
        DemandHistogram histogram = new DemandHistogram();
        histogram.record(256, 512_000, 1_000_000); // 2000 ns per page
        histogram.record(256, 512_000, 2_000_000);
        long[] sums = new long[DemandHistogram.size()];
        histogram.snapshot(sums);
        int bucket = DemandHistogram.bucket(2000);
        assertThat(bucket).isEqualTo(11); // 2^10 <= 2000 < 2^11
        assertThat(sums[DemandHistogram.slot(bucket, DemandHistogram.PAGES)]).isEqualTo(512);
        assertThat(sums[DemandHistogram.slot(bucket, DemandHistogram.AWAKE)]).isEqualTo(1_024_000);
        assertThat(sums[DemandHistogram.slot(bucket, DemandHistogram.WALL)]).isEqualTo(3_000_000);
        assertThat(DemandHistogram.bucket(0)).isZero();
        assertThat(DemandHistogram.bucket(Long.MAX_VALUE)).isEqualTo(DemandHistogram.BUCKETS - 1);
    }
}
