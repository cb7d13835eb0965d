package io.dirtylimit.bench.soak;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the operator's limits must be, following the documented semantics of every way to set them
 * (docs/cli.md, docs/agent.md): set one, set all (replaces the per-vCPU ones), cancel one (under a
 * rate for all it exempts the vCPU), cancel all, {@code limit=} on attach (replaces them all),
 * detach (cancels them all). Also when each vCPU's limit last changed, for the settled-rate check.
 * Callers hold the soak's limits lock around a change and the operation that makes it.
 */
final class LimitModel {
    private double allMbps;
    private final Map<Integer, Double> perVcpu = new TreeMap<>();
    private final Map<Integer, Long> changedNanos = new TreeMap<>();
    private long allChangedNanos = System.nanoTime();

    void set(int cpu, double mbps) {
        if (mbps == 0) {
            cancel(cpu);
            return;
        }
        perVcpu.put(cpu, mbps);
        changedNanos.put(cpu, System.nanoTime());
    }

    void setAll(double mbps) {
        if (mbps == 0) {
            cancelAll();
            return;
        }
        allMbps = mbps;
        perVcpu.clear();
        allChanged();
    }

    void cancel(int cpu) {
        if (allMbps > 0) {
            perVcpu.put(cpu, 0.0);
        } else {
            perVcpu.remove(cpu);
        }
        changedNanos.put(cpu, System.nanoTime());
    }

    void cancelAll() {
        allMbps = 0;
        perVcpu.clear();
        allChanged();
    }

    /** {@code limit=ALL;CPU:RATE...} given on attach, or a detach (no limits). */
    void replace(double all, Map<Integer, Double> perCpu) {
        allMbps = all;
        perVcpu.clear();
        perVcpu.putAll(perCpu);
        allChanged();
    }

    private void allChanged() {
        allChangedNanos = System.nanoTime();
        changedNanos.clear();
    }

    /** The operator's limit for {@code cpu}, 0 when none. */
    double expected(int cpu) {
        Double mine = perVcpu.get(cpu);
        return mine != null ? mine : allMbps;
    }

    /** When {@code cpu}'s limit last changed. */
    long changedNanos(int cpu) {
        return Math.max(allChangedNanos, changedNanos.getOrDefault(cpu, Long.MIN_VALUE));
    }

    /** The per-vCPU indexes the model names (for checking pending limits). */
    java.util.Set<Integer> named() {
        return new java.util.TreeSet<>(perVcpu.keySet());
    }

    @Override
    public String toString() {
        return "all " + allMbps + ", per vCPU " + perVcpu;
    }
}
