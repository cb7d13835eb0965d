package io.dirtylimit.agent;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code limit=} option: an optional rate for every vCPU and per-vCPU rates that override it.
 * Syntax: entries separated by {@code ;}, each {@code RATE} (all vCPUs, at most once) or
 * {@code CPU:RATE}; RATE in MB/s, optionally with a unit K, M or G (per second). 0 means no limit.
 */
final class LimitSpec {
    static final LimitSpec NONE = new LimitSpec(Double.NaN, Map.of());

    private final double allMbps;
    private final Map<Integer, Double> perVcpuMbps;

    private LimitSpec(double allMbps, Map<Integer, Double> perVcpuMbps) {
        this.allMbps = allMbps;
        this.perVcpuMbps = perVcpuMbps;
    }

    static LimitSpec parse(String text) throws OptionsException {
        if (text.isBlank()) {
            throw new OptionsException("limit= needs a value, e.g. limit=200 or limit=0:200;1:50");
        }
        double all = Double.NaN;
        Map<Integer, Double> perVcpu = new TreeMap<>();
        for (String entry : text.split(";", -1)) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon < 0) {
                if (!Double.isNaN(all)) {
                    throw new OptionsException("limit= has two rates for all vCPUs: '" + text + "'");
                }
                all = parseRate(trimmed);
            } else {
                int cpu = parseCpu(trimmed.substring(0, colon).trim());
                if (perVcpu.put(cpu, parseRate(trimmed.substring(colon + 1).trim())) != null) {
                    throw new OptionsException("limit= names vCPU " + cpu + " twice: '" + text + "'");
                }
            }
        }
        return new LimitSpec(all, Collections.unmodifiableMap(perVcpu));
    }

    /** MB/s from {@code 200}, {@code 1.5}, {@code 512K}, {@code 200M} or {@code 1G}. */
    static double parseRate(String text) throws OptionsException {
        if (text.isEmpty()) {
            throw new OptionsException("limit= has an empty rate");
        }
        char unit = Character.toUpperCase(text.charAt(text.length() - 1));
        double scale = unit == 'K' ? 1.0 / 1024 : unit == 'M' ? 1 : unit == 'G' ? 1024 : 0;
        String number = scale == 0 ? text : text.substring(0, text.length() - 1);
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new OptionsException("limit= rate '" + text + "' is not a number of MB/s (e.g. 200, 512K, 1G)");
        }
        double mbps = value * (scale == 0 ? 1 : scale);
        if (!(mbps >= 0) || Double.isInfinite(mbps)) {
            throw new OptionsException("limit= rate '" + text + "' must be 0 or more MB/s");
        }
        return mbps;
    }

    private static int parseCpu(String text) throws OptionsException {
        try {
            int cpu = Integer.parseInt(text);
            if (cpu >= 0) {
                return cpu;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new OptionsException("limit= vCPU index '" + text + "' must be a number 0 or more");
    }

    boolean isEmpty() {
        return Double.isNaN(allMbps) && perVcpuMbps.isEmpty();
    }

    boolean hasAll() {
        return !Double.isNaN(allMbps);
    }

    /** The rate for every vCPU; NaN when none was given. */
    double allMbps() {
        return allMbps;
    }

    /** Per-vCPU rates, ordered by cpu index. */
    Map<Integer, Double> perVcpuMbps() {
        return perVcpuMbps;
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none (prepared)";
        }
        StringBuilder text = new StringBuilder();
        if (hasAll()) {
            text.append("all vCPUs ").append(format(allMbps)).append(" MB/s");
        }
        perVcpuMbps.forEach((cpu, mbps) -> text.append(text.length() > 0 ? "; " : "")
                .append("vCPU ").append(cpu).append(' ').append(format(mbps)).append(" MB/s"));
        return text.toString();
    }

    private static String format(double mbps) {
        return mbps == Math.rint(mbps) ? Long.toString((long) mbps) : Double.toString(mbps);
    }
}
