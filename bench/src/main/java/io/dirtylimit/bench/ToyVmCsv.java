package io.dirtylimit.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the toy VM's {@code --stats csv} output: header {@code t_s,vcpu,dirty_mbps,ring_full_exits,ips},
 * one line per vCPU per second, other lines starting with {@code #}.
 */
final class ToyVmCsv {
    static final String HEADER = "t_s,vcpu,dirty_mbps,ring_full_exits,ips";

    private ToyVmCsv() {}

    /**
     * The guest's instruction rate in one run: the median over the seconds after the first
     * {@code skipSeconds} of the per-second rate (all vCPUs summed). The median, not the mean, so
     * that a second in which another process took the CPU does not drag the run down.
     *
     * @throws IllegalArgumentException if the output has no header, a malformed line, or no
     *     second left after the skipped ones
     */
    static double runIps(List<String> lines, int skipSeconds) {
        TreeMap<Long, Double> ipsBySecond = ipsBySecond(lines);
        double[] kept = ipsBySecond.tailMap((long) skipSeconds, false).values().stream().mapToDouble(Double::doubleValue).toArray();
        if (kept.length == 0) {
            throw new IllegalArgumentException("the toy VM reported " + ipsBySecond.size() + " second(s) of statistics, none after the "
                    + skipSeconds + " skipped");
        }
        return Stats.of(kept).median();
    }

    /**
     * Instructions per second of vCPU CPU time after the first {@code skipSeconds}: the
     * instructions of those seconds (each second's rate times one second) over the CPU time the
     * vCPU thread used meanwhile. {@code ticksBySecond} holds the thread's CPU time, in ticks of
     * 1/{@code ticksPerSecond} s, read when each second's statistics line arrived (-1: no reading).
     * The window runs from the reading of second {@code skipSeconds} to the last valid reading after
     * it: the last second's line can come after the vCPU thread has ended. NaN without such readings.
     */
    static double cpuIps(List<String> lines, Map<Long, Long> ticksBySecond, int skipSeconds, int ticksPerSecond) {
        TreeMap<Long, Double> ipsBySecond = ipsBySecond(lines);
        long end = cpuWindowEnd(ipsBySecond, ticksBySecond, skipSeconds);
        if (end < 0) {
            return Double.NaN;
        }
        double instructions = ipsBySecond.subMap((long) skipSeconds, false, end, true).values().stream().mapToDouble(Double::doubleValue).sum();
        return instructions / cpuSeconds(ticksBySecond, skipSeconds, end, ticksPerSecond);
    }

    /** The vCPU thread's CPU time over the wall time of the same window as {@link #cpuIps}; NaN without readings. */
    static double cpuShare(List<String> lines, Map<Long, Long> ticksBySecond, int skipSeconds, int ticksPerSecond) {
        long end = cpuWindowEnd(ipsBySecond(lines), ticksBySecond, skipSeconds);
        return end < 0 ? Double.NaN : cpuSeconds(ticksBySecond, skipSeconds, end, ticksPerSecond) / (end - skipSeconds);
    }

    /** The last reported second after the skipped ones whose reading is past the start reading, or -1. */
    private static long cpuWindowEnd(TreeMap<Long, Double> ipsBySecond, Map<Long, Long> ticksBySecond, int skipSeconds) {
        Long start = ticksBySecond.get((long) skipSeconds);
        if (start == null || start < 0) {
            return -1;
        }
        for (long second : ipsBySecond.tailMap((long) skipSeconds, false).descendingKeySet()) {
            Long end = ticksBySecond.get(second);
            if (end != null && end > start) {
                return second;
            }
        }
        return -1;
    }

    private static double cpuSeconds(Map<Long, Long> ticksBySecond, long from, long to, int ticksPerSecond) {
        return (ticksBySecond.get(to) - ticksBySecond.get(from)) / (double) ticksPerSecond;
    }

    /** Instructions per second of all vCPUs, by second ({@code t_s}). */
    static TreeMap<Long, Double> ipsBySecond(List<String> lines) {
        TreeMap<Long, Double> bySecond = new TreeMap<>();
        boolean headerSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                if (!line.equals(HEADER)) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": expected the CSV header '" + HEADER + "', got '" + line + "'");
                }
                headerSeen = true;
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != 5) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected 5 fields, got '" + line + "'");
            }
            try {
                long second = Long.parseLong(fields[0]);
                Integer.parseInt(fields[1]);
                double ips = Double.parseDouble(fields[4]);
                if (ips < 0 || Double.isNaN(ips) || Double.isInfinite(ips)) {
                    throw new NumberFormatException("ips " + fields[4]);
                }
                bySecond.merge(second, ips, Double::sum);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not a statistics line: '" + line + "'", e);
            }
        }
        if (!headerSeen) {
            throw new IllegalArgumentException("no CSV header '" + HEADER + "' in the toy VM's output (was it run with --stats csv?)");
        }
        return bySecond;
    }
}
