package io.dirtylimit.agent.runtime;

import io.dirtylimit.agent.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Failures suppressed in hooks: counted per hook, the first of each hook kept and logged once.
 * Slot 0 is for failures in the inlined advice itself (hook -1).
 */
public final class FaultLog {
    private final List<String> hookNames;
    private final AtomicLongArray counts;
    private final AtomicReferenceArray<String> firsts;

    FaultLog(List<String> hookNames) {
        this.hookNames = List.copyOf(hookNames);
        this.counts = new AtomicLongArray(hookNames.size() + 1);
        this.firsts = new AtomicReferenceArray<>(hookNames.size() + 1);
    }

    void record(int hook, Throwable failure) {
        int slot = hook >= 0 && hook < hookNames.size() ? hook + 1 : 0;
        if (counts.getAndIncrement(slot) == 0 && firsts.compareAndSet(slot, null, String.valueOf(failure))) {
            Log.warn(where(slot) + " failed, suppressed (the emulator carries on; further failures are only counted): " + failure);
        }
    }

    /**
     * Failures suppressed so far.
     *
     * @return the count
     */
    public long total() {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        return total;
    }

    /**
     * One line per slot with failures: where, how many, the first one.
     *
     * @return the lines
     */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (int slot = 0; slot < counts.length(); slot++) {
            long count = counts.get(slot);
            if (count > 0) {
                lines.add(where(slot) + ": " + count + " suppressed, first: " + firsts.get(slot));
            }
        }
        return lines;
    }

    private String where(int slot) {
        return slot == 0 ? "inlined advice" : "hook " + (slot - 1) + " (" + hookNames.get(slot - 1) + ")";
    }
}
