package io.dirtylimit.agent;

import java.time.Duration;
import java.util.Locale;

/**
 * What the migration governor does when pre-copy falls behind.
 *
 * @param mode off, or how it throttles once triggered
 * @param limitMbps the per-vCPU limit of {@code qemu} mode (QEMU's vcpu-dirty-limit, 1 MB/s), the floor of {@code fit}
 * @param thresholdPercent the trigger: bytes dirtied in a period over this share of bytes sent (QEMU: 50)
 * @param period the shortest period the trigger looks at (QEMU: 1 s)
 * @param budgetPercent {@code fit}: the share of the link bandwidth the guest may keep dirtying
 */
record MigrationSettings(Mode mode, double limitMbps, int thresholdPercent, Duration period, int budgetPercent) {
    /** How the governor throttles. */
    enum Mode {
        OFF, QEMU, FIT, AUTO_CONVERGE;

        String keyword() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Mode byKeyword(String text) {
            for (Mode mode : values()) {
                if (mode.keyword().equals(text)) {
                    return mode;
                }
            }
            return null;
        }
    }

    /** The mode {@code migration=auto} selects when no {@code migration-mode=} is given. */
    static final Mode AUTO_MODE = Mode.FIT;
    static final MigrationSettings DEFAULTS = new MigrationSettings(Mode.OFF, 1.0, 50, Duration.ofSeconds(1), 40);

    MigrationSettings withMode(Mode m) {
        return new MigrationSettings(m, limitMbps, thresholdPercent, period, budgetPercent);
    }

    String describe() {
        if (mode == Mode.OFF) {
            return "off";
        }
        return mode.keyword() + ", trigger " + thresholdPercent + " % of bytes sent, twice in a row, period "
                + Durations.format(period) + switch (mode) {
                    case QEMU -> ", limit " + limitMbps + " MB/s";
                    case FIT -> ", budget " + budgetPercent + " % of the link, floor " + limitMbps + " MB/s";
                    default -> "";
                };
    }
}
