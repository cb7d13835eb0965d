package io.dirtylimit.agent.tool;

import io.dirtylimit.core.Rates;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.openmbean.CompositeData;

/** Text and JSON renderings of the MXBean's query and calc answers (open types, as JMX delivers them). */
final class QueryFormat {
    private QueryFormat() {}

    /**
     * A table like QEMU's {@code info vcpu_dirty_limit}, with every vCPU, who set each limit, and the
     * limits waiting for a vCPU not seen yet; a {@code unit} column after the index when some index
     * stands for a space object ({@code LinearMemory@1b6d3586}) or a first-dirty thread.
     */
    static String table(CompositeData[] rows) {
        int longest = 0;
        int unitWidth = 0;
        for (CompositeData row : rows) {
            longest = Math.max(longest, ("vcpu[" + row.get("cpuIndex") + "]").length());
            unitWidth = Math.max(unitWidth, unit(row).length());
        }
        // Indexes of one digit keep the table's long-standing look; longer ones, or a unit column, widen it.
        int vcpuWidth = longest <= 7 && unitWidth == 0 ? 6 : longest;
        String unitColumn = unitWidth == 0 ? "" : "%-" + Math.max(4, unitWidth) + "s ";
        String format = "%-" + vcpuWidth + "s " + unitColumn + "%12s %14s %14s %14s  %s";
        StringBuilder text = new StringBuilder(unitWidth == 0
                ? String.format(Locale.ROOT, format, "vcpu", "limit MB/s", "current MB/s", "sleep/point", "points", "set by")
                : String.format(Locale.ROOT, format, "vcpu", "unit", "limit MB/s", "current MB/s", "sleep/point", "points", "set by"));
        for (CompositeData row : rows) {
            boolean enabled = (Boolean) row.get("enabled");
            boolean pending = (Boolean) row.get("pending");
            String setBy = (String) row.get("setBy");
            List<Object> cells = new ArrayList<>();
            cells.add("vcpu[" + row.get("cpuIndex") + "]");
            if (unitWidth > 0) {
                cells.add(unit(row).isEmpty() ? "-" : unit(row));
            }
            cells.add(enabled ? Rates.format((Double) row.get("limitRate")) : "-");
            cells.add(pending ? "-" : Rates.formatMeasured((Double) row.get("currentRate")));
            cells.add(enabled && !pending ? millis((Long) row.get("sleepNanosPerThrottlePoint")) : "-");
            cells.add(pending ? "-" : Long.toString((Long) row.get("throttlePoints")));
            cells.add(setBy.isEmpty() ? "-" : setBy + (pending ? " (pending: vCPU not seen yet)" : ""));
            text.append(System.lineSeparator()).append(String.format(Locale.ROOT, format, cells.toArray()));
        }
        if (rows.length == 0) {
            text.append(System.lineSeparator()).append("no vCPU seen yet");
        }
        return text.toString();
    }

    /**
     * QMP's {@code query-vcpu-dirty-limit} answer: {@code {"return": [{"cpu-index": 0, "limit-rate":
     * 200, "current-rate": 198, ...}]}}, integer MB/s, QMP's keys first and ours after them; like QMP
     * only limited vCPUs (and those waiting for their vCPU) unless {@code all}. A row whose index
     * stands for a unit adds {@code "unit"}, and for a space object {@code "unit-class"} and
     * {@code "unit-identity-hash"} (hex, as {@code Object.toString} writes it).
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
                            + " \"sleep-ns-per-throttle-point\": %d, \"throttle-points\": %d, \"set-by\": \"%s\", \"pending\": %b",
                    (Integer) row.get("cpuIndex"), Math.round((Double) row.get("limitRate")),
                    Math.round((Double) row.get("currentRate")), enabled,
                    (Long) row.get("sleepNanosPerThrottlePoint"), (Long) row.get("throttlePoints"), row.get("setBy"),
                    (Boolean) row.get("pending")));
            text.append(unitJson(row)).append("}");
            first = false;
        }
        return text.append("]}").toString();
    }

    /** The unit's keys, with a leading comma, or nothing (a plain vCPU, or an agent without units). */
    private static String unitJson(CompositeData row) {
        String unit = unit(row);
        if (unit.isEmpty()) {
            return "";
        }
        String unitClass = (String) row.get("unitClass");
        if (unitClass.isEmpty()) {
            return ", \"unit\": \"" + escape(unit) + "\"";
        }
        return String.format(Locale.ROOT, ", \"unit\": \"%s\", \"unit-class\": \"%s\", \"unit-identity-hash\": \"%s\"",
                escape(unit), escape(unitClass), Integer.toHexString((Integer) row.get("unitIdentityHash")));
    }

    /** The row's unit, or empty (also for rows of an agent that has no units). */
    private static String unit(CompositeData row) {
        return row.containsKey("unit") ? (String) row.get("unit") : "";
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String calcText(CompositeData result) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "dirty rate over %.2f s:", (Double) result.get("seconds")));
        for (CompositeData rate : (CompositeData[]) result.get("vcpuRates")) {
            String unit = unit(rate);
            text.append(System.lineSeparator()).append("vcpu[").append(rate.get("cpuIndex")).append("]")
                    .append(unit.isEmpty() ? "" : " " + unit).append(": ")
                    .append(Rates.formatMeasured((Double) rate.get("dirtyRate"))).append(" MB/s");
        }
        return text.append(System.lineSeparator())
                .append("total: ").append(Rates.formatMeasured((Double) result.get("totalRate"))).append(" MB/s").toString();
    }

    /**
     * QMP's {@code query-dirty-rate} shape in dirty-ring mode: {@code vcpu-dirty-rate} rows and
     * {@code dirty-rate}; a row whose index stands for a unit adds the unit's keys, as in {@link #json}.
     */
    static String calcJson(CompositeData result) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "{\"return\": {\"status\": \"measured\", \"calc-time-ms\": %d, \"dirty-rate\": %d, \"vcpu-dirty-rate\": [",
                Math.round((Double) result.get("seconds") * 1000), Math.round((Double) result.get("totalRate"))));
        boolean first = true;
        for (CompositeData rate : (CompositeData[]) result.get("vcpuRates")) {
            text.append(first ? "" : ", ").append(String.format(Locale.ROOT, "{\"id\": %d, \"dirty-rate\": %d",
                    (Integer) rate.get("cpuIndex"), Math.round((Double) rate.get("dirtyRate"))))
                    .append(unitJson(rate)).append("}");
            first = false;
        }
        return text.append("]}}").toString();
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
