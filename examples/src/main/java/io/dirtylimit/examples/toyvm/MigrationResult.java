package io.dirtylimit.examples.toyvm;

import java.util.Locale;

/**
 * How a migration ended. {@code reason}: converged, max-passes, max-time, cancelled or failed.
 * {@code identical} is null unless the destination was compared (only after stop-and-copy).
 */
record MigrationResult(boolean converged, String reason, long totalMillis, long downtimeMillis, int passes,
        long bytesSent, Boolean identical, MigrationParams params) {

    String toJson() {
        return String.format(Locale.ROOT,
                "{\"converged\":%s,\"reason\":\"%s\",\"total_ms\":%d,\"downtime_ms\":%d,\"passes\":%d,"
                        + "\"bytes_sent\":%d,\"identical\":%s,\"bandwidth_mbps\":%s,\"downtime_limit_ms\":%d}",
                converged, reason, totalMillis, downtimeMillis, passes, bytesSent, identical,
                Units.formatRate(params.bandwidthMbps()), params.downtimeMillis());
    }
}
