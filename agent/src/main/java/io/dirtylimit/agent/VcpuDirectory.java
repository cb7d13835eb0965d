package io.dirtylimit.agent;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The vCPUs the agent has seen, by index, and the per-vCPU limits still waiting for their vCPU.
 * Lookups are lock-free (a copy-on-write array); registration and limit changes take the lock.
 */
final class VcpuDirectory {
    private final Throttle throttle;
    private final int maxVcpus;
    /** Registered ports by cpu index; replaced, never mutated, under the lock. */
    private volatile VcpuPort[] byIndexVolatile = new VcpuPort[0];
    /** Per-vCPU limits for vCPUs not registered yet (guarded by this). */
    private final Map<Integer, Double> pendingLimits = new HashMap<>();
    /** Told whether limits wait for unseen vCPUs (guarded by this). */
    private Consumer<Boolean> pendingListener = pending -> { };
    /** Whether an out-of-range index was warned about; a racy duplicate warning is harmless. */
    private boolean refusedPlain;

    VcpuDirectory(Throttle throttle, int maxVcpus) {
        this.throttle = throttle;
        this.maxVcpus = maxVcpus;
    }

    /** Hot path: the registered vCPU {@code index}, registering it on first sight; null if out of range. */
    VcpuPort getOrRegister(int index) {
        VcpuPort[] ports = byIndexVolatile;
        if (index >= 0 && index < ports.length) {
            VcpuPort port = ports[index];
            if (port != null) {
                return port;
            }
        }
        if (index < 0 || index >= maxVcpus) {
            refuse(index);
            return null;
        }
        return register(index);
    }

    /** An index out of range: warned about once, never locked for (it may come on every hook call). */
    private void refuse(int index) {
        if (!refusedPlain) {
            refusedPlain = true;
            Log.warn("vCPU index " + index + " is out of range 0.." + (maxVcpus - 1) + " (profile max-vcpus); ignored");
        }
    }

    private synchronized VcpuPort register(int index) {
        VcpuPort[] ports = byIndexVolatile;
        if (index < ports.length && ports[index] != null) {
            return ports[index];
        }
        VcpuPort port = throttle.register(index);
        VcpuPort[] grown = Arrays.copyOf(ports, Math.max(ports.length, index + 1));
        grown[index] = port;
        byIndexVolatile = grown;
        Double pending = pendingLimits.remove(index);
        if (pending != null) {
            throttle.setLimit(index, pending);
            tellPending();
        }
        Log.debug("vCPU " + index + " registered on thread '" + Thread.currentThread().getName() + "'");
        return port;
    }

    /** Replaces every limit by {@code spec}; per-vCPU limits of unseen vCPUs wait for them. */
    synchronized void applyLimits(LimitSpec spec) {
        pendingLimits.clear();
        throttle.cancelAll();
        if (spec.hasAll()) {
            throttle.setAllLimit(spec.allMbps());
        }
        VcpuPort[] ports = byIndexVolatile;
        spec.perVcpuMbps().forEach((cpu, mbps) -> {
            if (cpu < ports.length && ports[cpu] != null) {
                throttle.setLimit(cpu, mbps);
            } else {
                pendingLimits.put(cpu, mbps);
            }
        });
        tellPending();
    }

    /**
     * Tells {@code listener} now and after each change whether limits wait for vCPUs not seen yet
     * (they are seen when they dirty memory, so the hooks must count meanwhile).
     */
    synchronized void onPendingChange(Consumer<Boolean> listener) {
        pendingListener = listener;
        tellPending();
    }

    private void tellPending() {
        pendingListener.accept(!pendingLimits.isEmpty());
    }

    /** Indexes of the registered vCPUs, ascending. */
    int[] registered() {
        VcpuPort[] ports = byIndexVolatile;
        return java.util.stream.IntStream.range(0, ports.length).filter(i -> ports[i] != null).toArray();
    }

    synchronized Map<Integer, Double> pendingLimits() {
        return Map.copyOf(pendingLimits);
    }
}
