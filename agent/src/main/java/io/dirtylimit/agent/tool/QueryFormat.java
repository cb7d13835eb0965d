package io.dirtylimit.agent.tool;

import io.dirtylimit.core.Rates;
import java.util.Locale;
import javax.management.openmbean.CompositeData;

/** Text and JSON renderings of the MXBean's query and calc answers (open types, as JMX delivers them). */
final class QueryFormat {
    private QueryFormat() {}

    /**
     * A table like QEMU's {@code info vcpu_dirty_limit}, with every vCPU, who set each limit, and the
     * limits waiting for a vCPU not seen yet.
     */
    static String table(CompositeData[] rows) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-6s %12s %14s %14s %14s  %s",
                "vcpu", "limit MB/s", "current MB/s", "sleep/point", "points", "set by"));
        for (CompositeData row : rows) {
            boolean enabled = (Boolean) row.get("enabled");
            boolean pending = (Boolean) row.get("pending");
            String setBy = (String) row.get("setBy");
            text.append(System.lineSeparator()).append(String.format(Locale.ROOT, "%-6s %12s %14s %14s %14s  %s",
                    "vcpu[" + row.get("cpuIndex") + "]",
                    enabled ? Rates.format((Double) row.get("limitRate")) : "-",
                    pending ? "-" : Rates.formatMeasured((Double) row.get("currentRate")),
                    enabled && !pending ? millis((Long) row.get("sleepNanosPerThrottlePoint")) : "-",
                    pending ? "-" : Long.toString((Long) row.get("throttlePoints")),
                    setBy.isEmpty() ? "-" : setBy + (pending ? " (pending: vCPU not seen yet)" : "")));
        }
        if (rows.length == 0) {
            text.append(System.lineSeparator()).append("no vCPU seen yet");
        }
        return text.toString();
    }

    /**
     * QMP's {@code query-vcpu-dirty-limit} answer: {@code {"return": [{"cpu-index": 0, "limit-rate":
     * 200, "current-rate": 198, ...}]}}, integer MB/s, QMP's keys first and ours after them; like QMP
     * only limited vCPUs (and those waiting for their vCPU) unless {@code all}.
     */
    static String json(CompositeData[] rows, boolean all) {
        StringBuilder text = new StringBuilder("{\"return\": [");
        boolean first = true;
        for (CompositeData row : rows) {
            boolean enabled = (Boolean) row.get("enabled");
            if (!enabled && !all) {
                continue;
            }
            text.append(first ? "" : ", ").append(String.format(Locale.ROOT,
                    "{\"cpu-index\": %d, \"limit-rate\": %d, \"current-rate\": %d, \"enabled\": %b,"
                            + " \"sleep-ns-per-throttle-point\": %d, \"throttle-points\": %d, \"set-by\": \"%s\", \"pending\": %b}",
                    (Integer) row.get("cpuIndex"), Math.round((Double) row.get("limitRate")),
                    Math.round((Double) row.get("currentRate")), enabled,
                    (Long) row.get("sleepNanosPerThrottlePoint"), (Long) row.get("throttlePoints"), row.get("setBy"),
                    (Boolean) row.get("pending")));
            first = false;
        }
        return text.append("]}").toString();
    }

    static String calcText(CompositeData result) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "dirty rate over %.2f s:", (Double) result.get("seconds")));
        for (CompositeData rate : (CompositeData[]) result.get("vcpuRates")) {
            text.append(System.lineSeparator()).append("vcpu[").append(rate.get("cpuIndex")).append("]: ")
                    .append(Rates.formatMeasured((Double) rate.get("dirtyRate"))).append(" MB/s");
        }
        return text.append(System.lineSeparator())
                .append("total: ").append(Rates.formatMeasured((Double) result.get("totalRate"))).append(" MB/s").toString();
    }

    /** QMP's {@code query-dirty-rate} shape in dirty-ring mode: {@code vcpu-dirty-rate} rows and {@code dirty-rate}. */
    static String calcJson(CompositeData result) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "{\"return\": {\"status\": \"measured\", \"calc-time-ms\": %d, \"dirty-rate\": %d, \"vcpu-dirty-rate\": [",
                Math.round((Double) result.get("seconds") * 1000), Math.round((Double) result.get("totalRate"))));
        boolean first = true;
        for (CompositeData rate : (CompositeData[]) result.get("vcpuRates")) {
            text.append(first ? "" : ", ").append(String.format(Locale.ROOT, "{\"id\": %d, \"dirty-rate\": %d}",
                    (Integer) rate.get("cpuIndex"), Math.round((Double) rate.get("dirtyRate"))));
            first = false;
        }
        return text.append("]}}").toString();
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
