package io.dirtylimit.agent.runtime;

import io.dirtylimit.agent.Log;
import io.dirtylimit.agent.profile.VcpuRule;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

/**
 * Tells which vCPU the calling thread runs, by the profile's {@code vcpu-id} rule, once per
 * thread: the answer is cached in a per-thread slot, so the hot path is one ThreadLocal lookup.
 */
final class ThreadIdentity {
    private final VcpuRule rule;
    private final VcpuDirectory directory;
    private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);
    private final AtomicInteger nextFirstDirty = new AtomicInteger();

    /** What one thread is; only its own thread reads and writes it. */
    private static final class Slot {
        VcpuPort portPlain;
        boolean resolvedPlain;
    }

    ThreadIdentity(VcpuRule rule, VcpuDirectory directory) {
        this.rule = rule;
        this.directory = directory;
    }

    /** The calling thread's vCPU, or null if it is none (or not known yet). */
    VcpuPort current() {
        Slot slot = slots.get();
        return slot.resolvedPlain ? slot.portPlain : resolve(slot);
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
        switch (rule.kind()) {
            case THREAD_NAME -> {
                slot.portPlain = byName(thread.getName());
                slot.resolvedPlain = true;
            }
            case FIRST_DIRTY -> {
                boolean admitted = rule.pattern() == null || rule.pattern().matcher(thread.getName()).matches();
                slot.portPlain = admitted ? directory.getOrRegister(nextFirstDirty.getAndIncrement()) : null;
                slot.resolvedPlain = true;
            }
            case FIELD, PER_HOOK -> {
                // Unknown until a hook that reads the index runs on this thread (see learn).
            }
        }
        return slot.portPlain;
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
