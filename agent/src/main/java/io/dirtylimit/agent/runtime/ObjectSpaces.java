package io.dirtylimit.agent.runtime;

import io.dirtylimit.agent.Log;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The address spaces that are objects ({@code space=this}, {@code space=argN}, {@code space=this.FIELD}):
 * one {@link PageTracker} per distinct object, by identity, and with {@code vcpu-id space} one
 * throttled unit per object, its index taken from an {@link IndexPool} in the order of first write.
 *
 * <p>Keys are weak: a space whose object was collected is dropped at the next harvest, and its unit
 * index is given back (the next new object takes the lowest free one, with the limit set on that
 * number). Two guests' memories at the same guest addresses are two spaces, so neither hides the
 * other's first writes.
 *
 * <p>Lookups are lock-free: an open-addressing table keyed by identity hash, read through a volatile
 * reference with acquire reads of its slots; a slot is written once, with release, after its space is
 * complete. A new object takes the lock (once per object); the table is rebuilt, without the
 * collected spaces, when it is half full or at a harvest that found some collected.
 */
public final class ObjectSpaces {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Space[].class);
    private static final int INITIAL_SLOTS = 16;

    /** One object's address space: its pages, and its unit when objects are units. */
    static final class Space extends WeakReference<Object> {
        final int hash;
        final PageTracker pages;
        /** The unit's hot path (vcpu-id space), else null; also null when no unit index was free. */
        final VcpuPort port;
        /** The unit's index, or -1. */
        final int unit;

        Space(Object key, int hash, ReferenceQueue<Object> queue, PageTracker pages, VcpuPort port, int unit) {
            super(key, queue);
            this.hash = hash;
            this.pages = pages;
            this.port = port;
            this.unit = unit;
        }
    }

    private final int pageShift;
    /** Null unless every object is a unit (vcpu-id space). */
    private final IndexPool units;
    private final VcpuDirectory directory;
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    /** Replaced under the lock; slots filled once each. */
    private volatile Space[] tableVolatile = new Space[INITIAL_SLOTS];
    // Guarded by this.
    private int size;
    private long droppedTotal;
    private boolean exhaustedWarned;

    /**
     * No space yet.
     *
     * @param pageShift log2 of the page size
     * @param directory registers the units, or null when objects are not units
     */
    ObjectSpaces(int pageShift, VcpuDirectory directory) {
        this.pageShift = pageShift;
        this.directory = directory;
        this.units = directory == null ? null : new IndexPool(directory.maxVcpus());
    }

    /** Hot path: the space of {@code key}, registering it on its first write. */
    Space get(Object key) {
        Space space = find(key);
        return space != null ? space : register(key);
    }

    /** The space of {@code key}, or null. */
    Space find(Object key) {
        int hash = System.identityHashCode(key);
        Space[] table = tableVolatile;
        int mask = table.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            Space space = (Space) SLOTS.getAcquire(table, slot);
            if (space == null) {
                return null;
            }
            if (space.hash == hash && space.refersTo(key)) {
                return space;
            }
        }
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    private synchronized Space register(Object key) {
        Space existing = find(key);
        if (existing != null) {
            return existing;
        }
        dropCollected();
        Space[] table = tableVolatile;
        if ((size + 1) * 2 > table.length) {
            table = rebuilt(table.length * 2);
            tableVolatile = table;
        }
        int hash = System.identityHashCode(key);
        UnitLabel label = UnitLabel.ofObject(key);
        int unit = units == null ? -1 : units.acquire();
        VcpuPort port = null;
        if (unit >= 0) {
            directory.label(unit, label);
            port = directory.getOrRegister(unit);
        } else if (units != null && !exhaustedWarned) {
            exhaustedWarned = true;
            Log.warn("no free unit index for " + label.describe() + ": all " + directory.maxVcpus()
                    + " (profile max-vcpus) are taken; its pages are tracked but not counted");
        }
        Space space = new Space(key, hash, collected, new PageTracker(label.describe(), pageShift, false), port, unit);
        place(table, space, true);
        size++;
        return space;
    }

    /** A table of {@code slots} slots holding every live space. */
    private Space[] rebuilt(int slots) {
        Space[] old = tableVolatile;
        int live = 0;
        for (Space space : old) {
            if (space != null && !space.refersTo(null)) {
                live++;
            }
        }
        int length = INITIAL_SLOTS;
        while (length < Math.max(slots, live * 4)) {
            length <<= 1;
        }
        Space[] table = new Space[length];
        for (Space space : old) {
            if (space != null && !space.refersTo(null)) {
                place(table, space, false);
            }
        }
        size = live;
        return table;
    }

    private static void place(Space[] table, Space space, boolean published) {
        int mask = table.length - 1;
        int slot = spread(space.hash) & mask;
        while (table[slot] != null) {
            slot = (slot + 1) & mask;
        }
        if (published) {
            SLOTS.setRelease(table, slot, space);
        } else {
            table[slot] = space;
        }
    }

    /** Drops the spaces whose objects were collected, giving their unit indexes back. */
    private void dropCollected() {
        int dropped = 0;
        for (Object gone; (gone = collected.poll()) != null; ) {
            Space space = (Space) gone;
            if (space.unit >= 0) {
                directory.label(space.unit, null);
                units.release(space.unit);
            }
            dropped++;
        }
        if (dropped > 0) {
            droppedTotal += dropped;
            tableVolatile = rebuilt(tableVolatile.length);
            Log.debug(dropped + " address space(s) dropped: their objects were collected");
        }
    }

    /**
     * Forgets every dirty page of every space (the harvest), after dropping collected spaces.
     *
     * @return how many pages were dirty
     */
    long harvest() {
        synchronized (this) {
            dropCollected();
        }
        long pages = 0;
        for (Space space : tableVolatile) {
            if (space != null) {
                pages += space.pages.harvest();
            }
        }
        return pages;
    }

    /**
     * The spaces' page trackers, for tests and benchmarks.
     *
     * @return one per live space
     */
    List<PageTracker> trackers() {
        List<PageTracker> trackers = new ArrayList<>();
        for (Space space : tableVolatile) {
            if (space != null && !space.refersTo(null)) {
                trackers.add(space.pages);
            }
        }
        return trackers;
    }

    /**
     * Spaces live now (their objects not collected, or not yet dropped).
     *
     * @return the count
     */
    public synchronized int size() {
        return size;
    }

    /**
     * Spaces dropped since the start because their objects were collected.
     *
     * @return the count
     */
    public synchronized long dropped() {
        return droppedTotal;
    }
}
