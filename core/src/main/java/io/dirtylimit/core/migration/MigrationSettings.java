package io.dirtylimit.core.migration;

import io.dirtylimit.core.Durations;
import io.dirtylimit.core.Rates;
import java.time.Duration;

/**
 * What the migration governor does when pre-copy falls behind.
 *
 * @param mode off, or how it throttles once triggered
 * @param limitMbps the per-vCPU limit of {@code qemu} mode (QEMU's vcpu-dirty-limit, 1 MB/s), the floor of {@code fit}
 * @param thresholdPercent the trigger: bytes dirtied in a period over this share of bytes sent (QEMU: 50)
 * @param period the shortest period the trigger looks at (QEMU: 1 s)
 * @param budgetPercent {@code fit}: the share of the link bandwidth the guest may keep dirtying
 */
public record MigrationSettings(MigrationMode mode, double limitMbps, int thresholdPercent, Duration period, int budgetPercent) {
    /** Off; QEMU's limit, threshold and period; a 40 % budget for {@code fit}. */
    public static final MigrationSettings DEFAULTS = new MigrationSettings(MigrationMode.OFF, 1.0, 50, Duration.ofSeconds(1), 40);

    /**
     * These settings in another mode.
     *
     * @param m the mode
     * @return the new settings
     */
    public MigrationSettings withMode(MigrationMode m) {
        return new MigrationSettings(m, limitMbps, thresholdPercent, period, budgetPercent);
    }

    /**
     * One line for reports: {@code off}, or the mode and what it uses.
     *
     * @return the description
     */
    public String describe() {
        if (mode == MigrationMode.OFF) {
            return "off";
        }
        return mode.keyword() + ", trigger " + thresholdPercent + " % of bytes sent, twice in a row, period "
                + Durations.format(period) + switch (mode) {
                    case QEMU -> ", limit " + Rates.format(limitMbps) + " MB/s";
                    case FIT -> ", budget " + budgetPercent + " % of the link, floor " + Rates.format(limitMbps) + " MB/s";
                    default -> "";
                };
    }
}
