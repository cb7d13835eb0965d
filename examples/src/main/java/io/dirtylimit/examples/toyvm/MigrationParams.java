package io.dirtylimit.examples.toyvm;

import java.util.List;

/**
 * Migration parameters: channel bandwidth (MB/s), the downtime the final stop-and-copy may
 * take (ms), and when to give up (passes, seconds).
 */
record MigrationParams(double bandwidthMbps, long downtimeMillis, int maxPasses, long maxSeconds) {
    /** QEMU's defaults for max-bandwidth and downtime-limit. */
    static final MigrationParams DEFAULTS = new MigrationParams(128, 300, 30, 60);
    static final String KEYS = "bandwidth=MB/s, downtime=ms, max-passes=N, max-seconds=S";

    long bandwidthBytesPerSecond() {
        return Math.round(bandwidthMbps * Units.MIB);
    }

    /** Dirty bytes that the final stop-and-copy can send within the downtime limit. */
    long downtimeBudgetBytes() {
        return Math.round(bandwidthMbps * Units.MIB * downtimeMillis / 1000.0);
    }

    /** Parses {@code key=value} tokens over the defaults; throws with a message naming the bad token. */
    static MigrationParams parse(List<String> tokens) {
        MigrationParams p = DEFAULTS;
        for (String token : tokens) {
            if (token.isBlank()) {
                continue;
            }
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + token + "' (" + KEYS + ")");
            }
            String key = token.substring(0, eq).trim();
            String value = token.substring(eq + 1).trim();
            p = p.with(key, value);
        }
        return p;
    }

    private MigrationParams with(String key, String value) {
        switch (key) {
            case "bandwidth": {
                double mbps = Units.parseDecimal(value);
                if (!(mbps > 0) || mbps > 1_000_000) {
                    throw new IllegalArgumentException("bandwidth must be a rate in MB/s above 0 (up to 1000000), got '" + value + "'");
                }
                return new MigrationParams(mbps, downtimeMillis, maxPasses, maxSeconds);
            }
            case "downtime": {
                int ms = Units.parseCount(value);
                if (ms < 1) {
                    throw new IllegalArgumentException("downtime must be a whole number of milliseconds, at least 1, got '" + value + "'");
                }
                return new MigrationParams(bandwidthMbps, ms, maxPasses, maxSeconds);
            }
            case "max-passes": {
                int n = Units.parseCount(value);
                if (n < 1 || n > 100_000) {
                    throw new IllegalArgumentException("max-passes must be a number of passes from 1 to 100000, got '" + value + "'");
                }
                return new MigrationParams(bandwidthMbps, downtimeMillis, n, maxSeconds);
            }
            case "max-seconds": {
                int s = Units.parseCount(value);
                if (s < 1) {
                    throw new IllegalArgumentException("max-seconds must be a whole number of seconds, at least 1, got '" + value + "'");
                }
                return new MigrationParams(bandwidthMbps, downtimeMillis, maxPasses, s);
            }
            default:
                throw new IllegalArgumentException("unknown parameter '" + key + "' (" + KEYS + ")");
        }
    }

    String describe() {
        return "bandwidth=" + Units.formatRate(bandwidthMbps) + " downtime=" + downtimeMillis
                + " max-passes=" + maxPasses + " max-seconds=" + maxSeconds;
    }
}
