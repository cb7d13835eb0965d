package io.dirtylimit.core.migration;

/**
 * QEMU's migration throttle trigger ({@code migration_trigger_throttle}): the bytes dirtied during
 * a period above {@code threshold} % of the bytes sent in it, in two periods in a row, triggers a
 * throttle step. A period is at least {@code periodNanos} of passes (QEMU syncs the bitmap at
 * most once a second); shorter passes are added up. Not thread-safe: the migration thread only.
 */
final class TriggerRule {
    /** Periods over the threshold in a row that trigger a step (QEMU: 2). */
    static final int HIGH_PERIODS = 2;

    private final int thresholdPercent;
    private final long periodNanos;
    private long periodStartNanos;
    private long sent;
    private long dirtied;
    private int highInARow;

    TriggerRule(int thresholdPercent, long periodNanos, long nowNanos) {
        this.thresholdPercent = thresholdPercent;
        this.periodNanos = periodNanos;
        this.periodStartNanos = nowNanos;
    }

    /** Adds a pass; true when it closes a period that triggers a throttle step. */
    boolean onPass(long nowNanos, long bytesSent, long bytesDirtied) {
        sent += bytesSent;
        dirtied += bytesDirtied;
        if (nowNanos - periodStartNanos < periodNanos) {
            return false;
        }
        boolean high = isHigh(sent, dirtied);
        periodStartNanos = nowNanos;
        sent = 0;
        dirtied = 0;
        highInARow = high ? highInARow + 1 : 0;
        if (highInARow >= HIGH_PERIODS) {
            highInARow = 0;
            return true;
        }
        return false;
    }

    /** Whether a period dirtied more than the threshold share of what it sent. */
    boolean isHigh(long bytesSent, long bytesDirtied) {
        return bytesDirtied * 100 > bytesSent * (long) thresholdPercent;
    }
}
