package io.dirtylimit.agent.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One guest address space's dirty pages since the last harvest: a page-indexed bitmap, so that the
 * first write to a page after a harvest counts and later ones do not (KVM's dirty-log semantics).
 *
 * <p>The bitmap is split in chunks of {@value #CHUNK_PAGES} pages, allocated on the first write into
 * them (once per region, never again: harvesting clears words, it keeps chunks). Marking is
 * lock-free: an opaque read first, so a page already dirty costs no atomic, then an atomic OR.
 * Pages beyond the tracked range (guest addresses from 0 to 2^{@value #ADDRESS_BITS}) are ignored.
 */
public final class PageTracker {
    static final int ADDRESS_BITS = 46;
    private static final int CHUNK_PAGES_SHIFT = 18;
    static final int CHUNK_PAGES = 1 << CHUNK_PAGES_SHIFT;
    private static final int CHUNK_WORDS = CHUNK_PAGES >>> 6;
    /** Longest range one store may mark, in pages; longer ones are cut (no real store is that big). */
    private static final long MAX_RANGE_PAGES = 1L << 20;

    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final String name;
    private final int pageShift;
    /** Chunks by index; elements published with release, read with acquire. */
    private final long[][] chunks;
    private final AtomicLong outOfRange = new AtomicLong();

    PageTracker(String name, int pageShift) {
        this.name = name;
        this.pageShift = pageShift;
        int chunkBits = Math.max(0, ADDRESS_BITS - pageShift - CHUNK_PAGES_SHIFT);
        this.chunks = new long[1 << chunkBits][];
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

    /** Hot path: whether {@code page} is already dirty (or untracked, so there is nothing to do). */
    boolean isMarked(long page) {
        long chunkIndex = page >>> CHUNK_PAGES_SHIFT;
        if (chunkIndex >= chunks.length) {
            outOfRange.incrementAndGet();
            return true;
        }
        long[] chunk = (long[]) CHUNKS.getAcquire(chunks, (int) chunkIndex);
        if (chunk == null) {
            return false;
        }
        int bit = (int) page & (CHUNK_PAGES - 1);
        return ((long) WORDS.getOpaque(chunk, bit >>> 6) & (1L << bit)) != 0;
    }

    /** Marks {@code page}; true when this call marked it, i.e. it is the first write since the harvest. */
    boolean mark(long page) {
        long chunkIndex = page >>> CHUNK_PAGES_SHIFT;
        if (chunkIndex >= chunks.length) {
            return false;
        }
        long[] chunk = chunk((int) chunkIndex);
        int bit = (int) page & (CHUNK_PAGES - 1);
        long mask = 1L << bit;
        if (((long) WORDS.getOpaque(chunk, bit >>> 6) & mask) != 0) {
            return false;
        }
        return ((long) WORDS.getAndBitwiseOr(chunk, bit >>> 6, mask) & mask) == 0;
    }

    /** Marks pages {@code first} to {@code last}; returns how many this call marked first. */
    int markRange(long first, long last) {
        if (last < first) {
            return 0;
        }
        long end = Math.min(last, first + MAX_RANGE_PAGES - 1);
        int fresh = 0;
        for (long page = first; page <= end; page++) {
            if (mark(page)) {
                fresh++;
            }
        }
        return fresh;
    }

    private long[] chunk(int index) {
        long[] chunk = (long[]) CHUNKS.getAcquire(chunks, index);
        if (chunk != null) {
            return chunk;
        }
        long[] fresh = new long[CHUNK_WORDS];
        long[] raced = (long[]) CHUNKS.compareAndExchangeRelease(chunks, index, (long[]) null, fresh);
        return raced == null ? fresh : raced;
    }

    /**
     * Forgets every dirty page (the harvest).
     *
     * @return how many were dirty
     */
    public long harvest() {
        long pages = 0;
        for (int c = 0; c < chunks.length; c++) {
            long[] chunk = (long[]) CHUNKS.getAcquire(chunks, c);
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

    /** Stores that fell outside the tracked address range. */
    long outOfRange() {
        return outOfRange.get();
    }
}
