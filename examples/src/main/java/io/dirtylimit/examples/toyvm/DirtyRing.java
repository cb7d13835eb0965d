package io.dirtylimit.examples.toyvm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A vCPU's dirty ring, KVM style: the vCPU pushes the pages it newly dirties; when the ring
 * holds {@code size} entries it is full and the vCPU must exit so that it gets harvested.
 *
 * <p>Single producer (the vCPU thread), lock-free push. Consumers (the vCPU itself at ring-full,
 * the reaper, migration) are serialized by a lock only they take, so a producer that sleeps
 * inside a store never blocks a consumer and vice versa. The array holds twice {@code size}
 * entries: a vCPU stops at {@code size}, the slack guarantees a push never finds the ring
 * overflowing.
 */
final class DirtyRing {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(DirtyRing.class, "head", long.class);
            TAIL = lookup.findVarHandle(DirtyRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int size;
    private final int mask;
    /** Written plain by the producer before its release of tail; read by consumers after acquiring tail. */
    private final long[] entries;
    private final ReentrantLock consumerLock = new ReentrantLock();
    private final OrderedCounter harvestedPages = new OrderedCounter();

    /** Consumer index: written (release) under consumerLock, read (acquire) by the producer. */
    @SuppressWarnings("unused")
    private long head;
    /** Producer index: written (release) by the producer only, read (acquire) by consumers. */
    @SuppressWarnings("unused")
    private long tail;

    DirtyRing(int size) {
        if (size < 1 || Integer.bitCount(size) != 1 || size > 1 << 20) {
            throw new IllegalArgumentException("dirty ring size must be a power of two up to 2^20: " + size);
        }
        this.size = size;
        this.entries = new long[size * 2];
        this.mask = entries.length - 1;
    }

    int size() {
        return size;
    }

    /**
     * Producer only. Appends a page; true when the ring now holds at least {@code size}
     * entries, i.e. the vCPU must leave guest code with a ring-full exit.
     */
    boolean push(long page) {
        long t = (long) TAIL.get(this);
        long used = t - (long) HEAD.getAcquire(this);
        if (used >= entries.length) {
            throw new IllegalStateException("dirty ring overflow: the vCPU kept running past ring-full");
        }
        entries[(int) t & mask] = page;
        TAIL.setRelease(this, t + 1);
        return used + 1 >= size;
    }

    /** Entries pushed and not yet harvested (a racy snapshot when read off the producer thread). */
    int fillAcquire() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }

    /**
     * Consumer: hands every entry pushed so far, in push order, to {@code harvester}: all of
     * them to {@link Harvester#reprotect}, then {@link Harvester#reprotected} once, then all of
     * them to {@link Harvester#publish}. Returns how many.
     */
    int harvestInto(Harvester harvester) {
        consumerLock.lock();
        try {
            long h = (long) HEAD.get(this);
            long t = (long) TAIL.getAcquire(this);
            for (long i = h; i < t; i++) {
                harvester.reprotect(entries[(int) i & mask]);
            }
            harvester.reprotected();
            for (long i = h; i < t; i++) {
                harvester.publish(entries[(int) i & mask]);
            }
            HEAD.setRelease(this, t);
            harvestedPages.addOrdered(t - h);
            return (int) (t - h);
        } finally {
            consumerLock.unlock();
        }
    }

    /** Pages harvested from this ring since it was created, by any consumer. */
    long harvestedPagesAcquire() {
        return harvestedPages.getAcquire();
    }

    /** Takes harvested pages in two passes; an interface so that harvests allocate nothing. */
    interface Harvester {
        void reprotect(long page);

        /** Between the passes: every page of the batch is re-protected. */
        void reprotected();

        void publish(long page);
    }
}
