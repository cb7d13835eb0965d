package io.dirtylimit.core;

/** Conversions between pages, nanoseconds and MB/s (MB = MiB, as in QEMU). */
final class Units {
    static final double BYTES_PER_MB = 1 << 20;
    static final double NANOS_PER_SECOND = 1e9;

    private Units() {}

    /** The rate, MB/s, of {@code pages} dirtied in {@code nanos}. */
    static double mbPerSec(long pages, long nanos, int pageSize) {
        return pages * (double) pageSize / BYTES_PER_MB / (nanos / NANOS_PER_SECOND);
    }

    /** Pages dirtied per second at {@code mbPerSec}. */
    static double pagesPerSecond(double mbPerSec, int pageSize) {
        return mbPerSec * BYTES_PER_MB / pageSize;
    }

    /** Nanoseconds needed to dirty {@code pages} at {@code mbPerSec}. */
    static double nanosToDirty(double pages, double mbPerSec, int pageSize) {
        return pages / pagesPerSecond(mbPerSec, pageSize) * NANOS_PER_SECOND;
    }
}
