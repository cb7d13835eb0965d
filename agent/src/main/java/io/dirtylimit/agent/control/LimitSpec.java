package io.dirtylimit.agent.control;

import io.dirtylimit.core.Rates;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code limit=} option: an optional rate for every vCPU and per-vCPU rates that override it.
 * Syntax: entries separated by {@code ;}, each {@code RATE} (all vCPUs, at most once) or
 * {@code CPU:RATE}; RATE as {@link Rates} reads it. 0 means no limit.
 */
public final class LimitSpec {
    /** No {@code limit=} given. */
    public static final LimitSpec NONE = new LimitSpec(Double.NaN, Map.of());

    private final double allMbps;
    private final Map<Integer, Double> perVcpuMbps;

    private LimitSpec(double allMbps, Map<Integer, Double> perVcpuMbps) {
        this.allMbps = allMbps;
        this.perVcpuMbps = perVcpuMbps;
    }

    /**
     * Reads {@code limit=}'s value.
     *
     * @param text e.g. {@code 200}, {@code 0:200;1:50}, {@code 100;3:50}
     * @return the spec
     * @throws IllegalArgumentException saying what is wrong, starting {@code limit=}
     */
    public static LimitSpec parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("limit= needs a value, e.g. limit=200 or limit=0:200;1:50");
        }
        double all = Double.NaN;
        Map<Integer, Double> perVcpu = new TreeMap<>();
        for (String entry : text.split(";", -1)) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon < 0) {
                if (!Double.isNaN(all)) {
                    throw new IllegalArgumentException("limit= has two rates for all vCPUs: '" + text + "'");
                }
                all = rate(trimmed);
            } else {
                int cpu = cpu(trimmed.substring(0, colon).trim());
                if (perVcpu.put(cpu, rate(trimmed.substring(colon + 1).trim())) != null) {
                    throw new IllegalArgumentException("limit= names vCPU " + cpu + " twice: '" + text + "'");
                }
            }
        }
        return new LimitSpec(all, Collections.unmodifiableMap(perVcpu));
    }

    private static double rate(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("limit= has an empty rate");
        }
        double mbps;
        try {
            mbps = Rates.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("limit= " + e.getMessage());
        }
        if (mbps < 0) {
            throw new IllegalArgumentException("limit= rate '" + text + "' must be 0 or more MB/s");
        }
        return mbps;
    }

    private static int cpu(String text) {
        try {
            int cpu = Integer.parseInt(text);
            if (cpu >= 0) {
                return cpu;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("limit= vCPU index '" + text + "' must be a number 0 or more");
    }

    /** @return whether nothing was given */
    public boolean isEmpty() {
        return Double.isNaN(allMbps) && perVcpuMbps.isEmpty();
    }

    /** @return whether a rate for every vCPU was given */
    public boolean hasAll() {
        return !Double.isNaN(allMbps);
    }

    /** @return the rate for every vCPU; NaN when none was given */
    public double allMbps() {
        return allMbps;
    }

    /** @return per-vCPU rates, ordered by cpu index */
    public Map<Integer, Double> perVcpuMbps() {
        return perVcpuMbps;
    }

    /**
     * The spec as {@code limit=}'s value, read back by {@link #parse} to the same rates: the rate for
     * every vCPU first, then {@code CPU:RATE} by index, rates exact.
     *
     * @return e.g. {@code 100;0:200;3:0.5}; empty for {@link #NONE}
     */
    public String format() {
        StringBuilder text = new StringBuilder(hasAll() ? formatRate(allMbps) : "");
        perVcpuMbps.forEach((cpu, mbps) -> text.append(text.length() > 0 ? ";" : "").append(cpu).append(':').append(formatRate(mbps)));
        return text.toString();
    }

    /**
     * A rate exactly, as {@link Rates#parse} reads it back (no exponent, no rounding).
     *
     * @param mbps a finite rate
     * @return e.g. {@code 200}, {@code 0.0001}
     */
    public static String formatRate(double mbps) {
        return new java.math.BigDecimal(Double.toString(mbps)).stripTrailingZeros().toPlainString();
    }

    /** Equal when the rates are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof LimitSpec spec && spec.format().equals(format());
    }

    @Override
    public int hashCode() {
        return format().hashCode();
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        if (hasAll()) {
            text.append("all vCPUs ").append(Rates.format(allMbps)).append(" MB/s");
        }
        perVcpuMbps.forEach((cpu, mbps) -> text.append(text.length() > 0 ? "; " : "")
                .append("vCPU ").append(cpu).append(' ').append(Rates.format(mbps)).append(" MB/s"));
        return text.toString();
    }
}
