package io.dirtylimit.agent.runtime;

import io.dirtylimit.agent.Log;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The vCPUs the agent has seen, by index. Lookups are lock-free (a copy-on-write array);
 * registration takes the lock, once per vCPU, and tells the registration listener (the limit
 * service, which applies a limit that waited for this vCPU) before the vCPU's first page counts.
 */
public final class VcpuDirectory {
    private final Throttle throttle;
    private final int maxVcpus;
    /** Registered ports by cpu index; replaced, never mutated, under the lock. */
    private volatile VcpuPort[] byIndexVolatile = new VcpuPort[0];
    /** Told each new vCPU's index (guarded by this). */
    private IntConsumer registrationListener = cpu -> { };
    /** Whether an out-of-range index was warned about; a racy duplicate warning is harmless. */
    private boolean refusedPlain;
    /** What stands behind an index, where the profile's rule says more than a number (space objects, first-dirty threads). */
    private final Map<Integer, UnitLabel> labels = new ConcurrentHashMap<>();
    /** Told once, at the first label (a racy second call is harmless: its target is idempotent). */
    private volatile Runnable firstLabelListenerVolatile;

    /**
     * An empty directory.
     *
     * @param throttle registers each vCPU in the core
     * @param maxVcpus indexes accepted are 0 to maxVcpus - 1 (the profile's max-vcpus)
     */
    public VcpuDirectory(Throttle throttle, int maxVcpus) {
        this.throttle = throttle;
        this.maxVcpus = maxVcpus;
    }

    /**
     * Tells {@code listener} every vCPU registered from now on, with the directory's lock held.
     *
     * @param listener called with the new vCPU's index; must not call back into the directory's locked methods
     */
    public synchronized void onRegistered(IntConsumer listener) {
        registrationListener = listener;
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
        registrationListener.accept(index);
        Log.debug("vCPU " + index + " registered on thread '" + Thread.currentThread().getName() + "'");
        return port;
    }

    /**
     * Indexes of the registered vCPUs.
     *
     * @return ascending
     */
    public int[] registered() {
        VcpuPort[] ports = byIndexVolatile;
        return IntStream.range(0, ports.length).filter(i -> ports[i] != null).toArray();
    }

    /**
     * Whether vCPU {@code cpu} has been seen.
     *
     * @param cpu an index
     * @return true once it registered
     */
    public boolean isRegistered(int cpu) {
        VcpuPort[] ports = byIndexVolatile;
        return cpu >= 0 && cpu < ports.length && ports[cpu] != null;
    }

    /**
     * What stands behind vCPU {@code cpu}: a space object or a first-dirty thread.
     *
     * @param cpu an index
     * @return the label, or null (a thread-name or field vCPU, or a unit index free now)
     */
    public UnitLabel label(int cpu) {
        return labels.get(cpu);
    }

    /** Sets or (null) clears what stands behind {@code cpu}; the first label set tells the label listener. */
    void label(int cpu, UnitLabel label) {
        if (label == null) {
            labels.remove(cpu);
            return;
        }
        labels.put(cpu, label);
        Runnable listener = firstLabelListenerVolatile;
        if (listener != null) {
            firstLabelListenerVolatile = null;
            listener.run();
        }
    }

    /**
     * Runs {@code listener} once, when an index first gets a unit label (a space object, a
     * first-dirty thread), on the thread that labels it: it must return quickly.
     *
     * @param listener e.g. the start of the JFR unit events
     */
    public void onFirstLabel(Runnable listener) {
        firstLabelListenerVolatile = listener;
        if (!labels.isEmpty()) {
            firstLabelListenerVolatile = null;
            listener.run();
        }
    }

    /**
     * The highest index accepted, plus one.
     *
     * @return the profile's max-vcpus
     */
    public int maxVcpus() {
        return maxVcpus;
    }
}
