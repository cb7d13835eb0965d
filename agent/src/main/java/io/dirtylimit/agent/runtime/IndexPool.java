package io.dirtylimit.agent.runtime;

import java.util.BitSet;

/**
 * Unit indexes handed out lowest free first, and taken back when their unit is gone (a finished
 * first-dirty thread, a collected space object), so recreated units take the numbers (and the
 * limits set by number) of the ones they replace. Locked; used once per unit, never per hook call.
 */
final class IndexPool {
    private final BitSet used = new BitSet();
    private final int limit;

    /** @param limit indexes are 0 to limit - 1 (the profile's max-vcpus) */
    IndexPool(int limit) {
        this.limit = limit;
    }

    /** The lowest free index, now taken; -1 when all are in use. */
    synchronized int acquire() {
        int index = used.nextClearBit(0);
        if (index >= limit) {
            return -1;
        }
        used.set(index);
        return index;
    }

    /** Gives {@code index} back. */
    synchronized void release(int index) {
        if (index >= 0) {
            used.clear(index);
        }
    }

    /** Indexes in use. */
    synchronized int inUse() {
        return used.cardinality();
    }
}
