package io.dirtylimit.agent.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One guest address space's dirty pages since the last harvest, so that the first write to a page
 * after a harvest counts and later ones do not (KVM's dirty-log semantics).
 *
 * <p>Sparse: the bitmap is cut in chunks of {@value #CHUNK_PAGES} pages, allocated on the first
 * write into them, so its memory follows the pages touched (about 150 bytes per 4 MiB of 4 KiB pages
 * written at least once), not the address range: every page number from 0 to 2^64 - 1 is tracked.
 * The chunks of the first chunk numbers, where guest memory usually is, are found by index: for an
 * object space (one of thousands) the first {@value #DIRECT_CHUNKS} (4 GiB of 4 KiB pages) in a
 * directory that grows to the highest one touched, for a named space (one of a few) the first
 * {@value #NAMED_DIRECT_CHUNKS} (256 GiB) in a directory allocated whole. The others are found
 * through an open-addressing table keyed by chunk number. Harvesting clears words and keeps
 * chunks (a region written once is likely written again).
 *
 * <p>Marking is lock-free: the directory and the table are read without a lock (a volatile read of
 * each, acquire reads of their slots, which the inserting thread writes with release after the
 * chunk), a page already dirty costs an opaque read and no atomic, a new one an atomic OR. Inserting
 * a chunk takes the tracker's lock, once per chunk for the tracker's life; a grown directory or table
 * is complete before it is published, and a reader of the old one that misses a chunk finds it under
 * the lock.
 */
public final class PageTracker {
    static final int CHUNK_SHIFT = 10;
    static final int CHUNK_PAGES = 1 << CHUNK_SHIFT;
    private static final int CHUNK_WORDS = CHUNK_PAGES >>> 6;
    /** Longest range one store may mark, in pages; longer ones are cut (no real store is that big). */
    static final long MAX_RANGE_PAGES = 1L << 20;
    /** No chunk number is negative (they are page numbers shifted right unsigned). */
    private static final long EMPTY = -1;
    private static final int INITIAL_SLOTS = 4;
    /** An object space's chunk numbers below this are found by index (4 GiB of 4 KiB pages). */
    static final int DIRECT_CHUNKS = 1024;
    /** A named space's chunk numbers below this are found by index (256 GiB of 4 KiB pages; 256 KiB of references). */
    static final int NAMED_DIRECT_CHUNKS = 1 << 16;
    private static final long[][] NO_CHUNKS = new long[0][];

    private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle DIRECT = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final String name;
    private final int pageShift;
    /**
     * A named space's directory: all NAMED_DIRECT_CHUNKS slots from the start (once per name), read
     * through a final field the compiler can keep in a register; null for an object space.
     */
    private final long[][] fixedDirect;
    /** An object space's chunks by number below DIRECT_CHUNKS; replaced (grown) under the lock, slots set once with release. */
    private volatile long[][] directVolatile = NO_CHUNKS;
    /** The other chunks; replaced (grown) under the lock; created at the first such chunk. */
    private volatile Table tableVolatile;
    /** Chunks allocated (guarded by this). */
    private int chunkCount;

    /** Chunk numbers and their chunks, at most half full. */
    private static final class Table {
        /** Chunk numbers or EMPTY; a slot's key is written with release after its chunk, once. */
        final long[] keys;
        final long[][] chunks;
        /** Slots in use (guarded by the tracker). */
        int size;

        Table(int slots) {
            keys = new long[slots];
            chunks = new long[slots][];
            java.util.Arrays.fill(keys, EMPTY);
        }
    }

    /**
     * An empty tracker for a named space (one per name: its directory is allocated whole).
     *
     * @param name the address space's name, for reports
     * @param pageShift log2 of the page size
     */
    public PageTracker(String name, int pageShift) {
        this(name, pageShift, true);
    }

    /**
     * An empty tracker.
     *
     * @param name the address space's name, for reports
     * @param pageShift log2 of the page size
     * @param fixedDirectory whether the directory is allocated whole now (a named space: one of a few,
     *     the store hook's fast path saves a load), else grown to the highest chunk touched (an object
     *     space: one of thousands, each as small as its pages)
     */
    PageTracker(String name, int pageShift, boolean fixedDirectory) {
        this.name = name;
        this.pageShift = pageShift;
        this.fixedDirect = fixedDirectory ? new long[NAMED_DIRECT_CHUNKS][] : null;
    }

    /**
     * @return the address space's name
     */
    public String name() {
        return name;
    }

    int pageShift() {
        return pageShift;
    }

    /** Hot path: whether {@code page} is already dirty since the harvest. */
    boolean isMarked(long page) {
        long[] chunk = chunkOrNull(page >>> CHUNK_SHIFT);
        if (chunk == null) {
            return false;
        }
        int bit = (int) page & (CHUNK_PAGES - 1);
        return ((long) WORDS.getOpaque(chunk, bit >>> 6) & (1L << bit)) != 0;
    }

    /** Marks {@code page}; true when this call marked it, i.e. it is the first write since the harvest. */
    boolean mark(long page) {
        long[] chunk = chunk(page >>> CHUNK_SHIFT);
        int bit = (int) page & (CHUNK_PAGES - 1);
        long mask = 1L << bit;
        if (((long) WORDS.getOpaque(chunk, bit >>> 6) & mask) != 0) {
            return false;
        }
        return ((long) WORDS.getAndBitwiseOr(chunk, bit >>> 6, mask) & mask) == 0;
    }

    /**
     * Marks pages {@code first} to {@code last} (unsigned page numbers, inclusive), a word at a time;
     * returns how many this call marked first. Ranges over {@link #MAX_RANGE_PAGES} pages are cut.
     */
    int markRange(long first, long last) {
        if (Long.compareUnsigned(last, first) < 0) {
            return 0;
        }
        long end = Long.compareUnsigned(last - first, MAX_RANGE_PAGES) >= 0 ? first + MAX_RANGE_PAGES - 1 : last;
        int fresh = 0;
        long page = first;
        while (true) {
            long[] chunk = chunk(page >>> CHUNK_SHIFT);
            int bit = (int) page & (CHUNK_PAGES - 1);
            long wordEnd = page | 63;
            long upTo = Long.compareUnsigned(wordEnd, end) < 0 ? wordEnd : end;
            int bits = (int) (upTo - page) + 1;
            long mask = (bits == 64 ? -1L : (1L << bits) - 1) << (bit & 63);
            fresh += markWord(chunk, bit >>> 6, mask);
            if (upTo == end) {
                return fresh;
            }
            page = upTo + 1;
        }
    }

    /** Sets {@code mask}'s bits of one word; returns how many were clear. */
    private static int markWord(long[] chunk, int word, long mask) {
        if (((long) WORDS.getOpaque(chunk, word) & mask) == mask) {
            return 0;
        }
        long before = (long) WORDS.getAndBitwiseOr(chunk, word, mask);
        return Long.bitCount(mask & ~before);
    }

    private long[] chunk(long chunkIndex) {
        long[] chunk = chunkOrNull(chunkIndex);
        return chunk != null ? chunk : insert(chunkIndex);
    }

    private long[] chunkOrNull(long chunkIndex) {
        long[][] fixed = fixedDirect;
        if (fixed != null) {
            if (chunkIndex < fixed.length) {
                return (long[]) DIRECT.getAcquire(fixed, (int) chunkIndex);
            }
        } else if (chunkIndex < DIRECT_CHUNKS) {
            long[][] direct = directVolatile;
            return chunkIndex < direct.length ? (long[]) DIRECT.getAcquire(direct, (int) chunkIndex) : null;
        }
        Table table = tableVolatile;
        if (table == null) {
            return null;
        }
        long[] keys = table.keys;
        int mask = keys.length - 1;
        for (int slot = slot(chunkIndex, mask); ; slot = (slot + 1) & mask) {
            long key = (long) KEYS.getAcquire(keys, slot);
            if (key == chunkIndex) {
                return table.chunks[slot];
            }
            if (key == EMPTY) {
                return null;
            }
        }
    }

    /** Fibonacci hashing: consecutive chunk numbers spread over the table. */
    private static int slot(long chunkIndex, int mask) {
        return (int) ((chunkIndex * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    private synchronized long[] insert(long chunkIndex) {
        long[] existing = chunkOrNull(chunkIndex);
        if (existing != null) {
            return existing;
        }
        chunkCount++;
        if (fixedDirect != null && chunkIndex < fixedDirect.length) {
            long[] chunk = new long[CHUNK_WORDS];
            DIRECT.setRelease(fixedDirect, (int) chunkIndex, chunk);
            return chunk;
        }
        if (fixedDirect == null && chunkIndex < DIRECT_CHUNKS) {
            long[][] direct = directVolatile;
            if (chunkIndex >= direct.length) {
                int length = Math.max(INITIAL_SLOTS, direct.length);
                while (length <= chunkIndex) {
                    length <<= 1;
                }
                direct = java.util.Arrays.copyOf(direct, Math.min(length, DIRECT_CHUNKS));
                directVolatile = direct;
            }
            long[] chunk = new long[CHUNK_WORDS];
            DIRECT.setRelease(direct, (int) chunkIndex, chunk);
            return chunk;
        }
        Table table = tableVolatile;
        if (table == null) {
            table = new Table(INITIAL_SLOTS);
            tableVolatile = table;
        }
        if ((table.size + 1) * 2 > table.keys.length) {
            table = grown(table);
            tableVolatile = table;
        }
        long[] chunk = new long[CHUNK_WORDS];
        place(table, chunkIndex, chunk, true);
        return chunk;
    }

    private static Table grown(Table old) {
        Table table = new Table(old.keys.length * 2);
        for (int i = 0; i < old.keys.length; i++) {
            if (old.keys[i] != EMPTY) {
                place(table, old.keys[i], old.chunks[i], false);
            }
        }
        return table;
    }

    private static void place(Table table, long chunkIndex, long[] chunk, boolean published) {
        int mask = table.keys.length - 1;
        int slot = slot(chunkIndex, mask);
        while (table.keys[slot] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        table.chunks[slot] = chunk;
        if (published) {
            KEYS.setRelease(table.keys, slot, chunkIndex);
        } else {
            table.keys[slot] = chunkIndex;
        }
        table.size++;
    }

    /**
     * Forgets every dirty page (the harvest).
     *
     * @return how many were dirty
     */
    public long harvest() {
        long pages = harvest(fixedDirect != null ? fixedDirect : directVolatile);
        Table table = tableVolatile;
        return table == null ? pages : pages + harvest(table.chunks);
    }

    private static long harvest(long[][] chunks) {
        long pages = 0;
        for (long[] chunk : chunks) {
            if (chunk == null) {
                continue;
            }
            for (int w = 0; w < chunk.length; w++) {
                if ((long) WORDS.getOpaque(chunk, w) != 0) {
                    pages += Long.bitCount((long) WORDS.getAndSet(chunk, w, 0L));
                }
            }
        }
        return pages;
    }

    /**
     * Chunks allocated so far (each {@value #CHUNK_PAGES} pages), for reports and tests.
     *
     * @return the count
     */
    public synchronized int chunks() {
        return chunkCount;
    }
}
