package io.dirtylimit.agent.runtime;

import io.dirtylimit.agent.Log;
import io.dirtylimit.agent.profile.VcpuRule;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Tells which vCPU the calling thread runs, by the profile's {@code vcpu-id} rule. The answer is
 * cached in a per-thread slot together with the thread's name it was derived from: the hot path is
 * one ThreadLocal lookup and one reference comparison of the name ({@link Thread#setName} always
 * installs a new String), so a thread renamed after its first hook ({@code pool-1-thread-1} to
 * {@code vcpu-2}, or {@code vcpu-0} to {@code vcpu-1}) is derived again at its next hook.
 *
 * <p>{@code first-dirty} indexes are handed out lowest free first: the index of a thread that has
 * finished (or, with a name filter, was renamed out of it) is free again, so a recreated vCPU
 * thread (reset, unplug and replug) takes the number, and the limit set on it, of the one it
 * replaces. Finished threads are found when a new thread needs an index.
 */
final class ThreadIdentity {
    private final VcpuRule rule;
    private final VcpuDirectory directory;
    /** Whether the rule reads the thread's name (thread-name, first-dirty). */
    private final boolean byName;
    private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);
    /** first-dirty only. */
    private final IndexPool firstDirty;
    /** The thread holding each first-dirty index (guarded by this). */
    private final Map<Integer, WeakReference<Thread>> ownerByIndex = new HashMap<>();

    /** What one thread is; only its own thread reads and writes it. */
    private static final class Slot {
        VcpuPort portPlain;
        boolean resolvedPlain;
        /** The name the answer was derived from (by identity). */
        String namePlain;
        /** first-dirty: the index this thread holds, or -1. */
        int firstDirtyPlain = -1;
    }

    ThreadIdentity(VcpuRule rule, VcpuDirectory directory) {
        this.rule = rule;
        this.directory = directory;
        this.byName = rule.kind() == VcpuRule.Kind.THREAD_NAME || rule.kind() == VcpuRule.Kind.FIRST_DIRTY;
        this.firstDirty = rule.kind() == VcpuRule.Kind.FIRST_DIRTY ? new IndexPool(directory.maxVcpus()) : null;
    }

    /** The calling thread's vCPU, or null if it is none (or not known yet). */
    VcpuPort current() {
        Slot slot = slots.get();
        if (slot.resolvedPlain && (!byName || slot.namePlain == Thread.currentThread().getName())) {
            return slot.portPlain;
        }
        return resolve(slot);
    }

    /** Remembers that the calling thread runs {@code port}, found by a hook that reads the index itself. */
    void learn(VcpuPort port) {
        Slot slot = slots.get();
        if (slot.portPlain != port) {
            slot.portPlain = port;
            slot.resolvedPlain = true;
        }
    }

    private VcpuPort resolve(Slot slot) {
        Thread thread = Thread.currentThread();
        String name = thread.getName();
        switch (rule.kind()) {
            case THREAD_NAME -> {
                slot.portPlain = byName(name);
                slot.namePlain = name;
                slot.resolvedPlain = true;
            }
            case FIRST_DIRTY -> {
                boolean admitted = rule.pattern() == null || rule.pattern().matcher(name).matches();
                if (admitted && slot.firstDirtyPlain < 0) {
                    slot.firstDirtyPlain = acquire(thread);
                    slot.portPlain = slot.firstDirtyPlain < 0 ? null : directory.getOrRegister(slot.firstDirtyPlain);
                } else if (!admitted && slot.firstDirtyPlain >= 0) {
                    release(slot.firstDirtyPlain, thread);
                    slot.firstDirtyPlain = -1;
                    slot.portPlain = null;
                }
                if (slot.firstDirtyPlain >= 0) {
                    directory.label(slot.firstDirtyPlain, UnitLabel.ofThread(name));
                }
                slot.namePlain = name;
                slot.resolvedPlain = true;
            }
            case FIELD, PER_HOOK, SPACE -> {
                // Unknown until a hook that reads the index runs on this thread (see learn); never for space.
            }
        }
        return slot.portPlain;
    }

    /** The lowest first-dirty index free, after freeing those of finished threads; -1 when none is left. */
    private synchronized int acquire(Thread thread) {
        for (Iterator<Map.Entry<Integer, WeakReference<Thread>>> it = ownerByIndex.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, WeakReference<Thread>> owner = it.next();
            Thread held = owner.getValue().get();
            if (held == null || !held.isAlive()) {
                it.remove();
                firstDirty.release(owner.getKey());
                directory.label(owner.getKey(), null);
            }
        }
        int index = firstDirty.acquire();
        if (index < 0) {
            Log.warn("thread '" + thread.getName() + "' gets no first-dirty vCPU index: all " + directory.maxVcpus()
                    + " (profile max-vcpus) are held by live threads");
            return -1;
        }
        ownerByIndex.put(index, new WeakReference<>(thread));
        return index;
    }

    private synchronized void release(int index, Thread thread) {
        WeakReference<Thread> owner = ownerByIndex.get(index);
        if (owner != null && owner.get() == thread) {
            ownerByIndex.remove(index);
            firstDirty.release(index);
            directory.label(index, null);
        }
    }

    private VcpuPort byName(String name) {
        Matcher matcher = rule.pattern().matcher(name);
        if (!matcher.matches() || matcher.group(1) == null) {
            return null;
        }
        try {
            return directory.getOrRegister(Integer.parseInt(matcher.group(1)));
        } catch (NumberFormatException e) {
            Log.warn("thread '" + name + "' matches the vcpu-id pattern but '" + matcher.group(1) + "' is not a vCPU index");
            return null;
        }
    }
}
