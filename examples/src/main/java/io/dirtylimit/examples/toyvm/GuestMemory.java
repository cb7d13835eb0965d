package io.dirtylimit.examples.toyvm;

import java.nio.LongBuffer;

/**
 * Guest RAM: {@code size} bytes in 4 KiB pages, accessed as aligned 64-bit words.
 *
 * <p>Accesses are plain: vCPUs race with the migration copier on purpose, as in a real
 * emulator; the dirty-tracking protocol (see {@link DirtyTracker}) is what makes the copy
 * correct, not this class.
 */
final class GuestMemory {
    static final int PAGE_SHIFT = 12;
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    static final int WORDS_PER_PAGE = PAGE_SIZE / Long.BYTES;

    private final long size;
    private final long[] words;

    GuestMemory(long size) {
        if (size <= 0 || size % PAGE_SIZE != 0 || size / Long.BYTES > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("guest RAM size must be a positive multiple of 4 KiB below 16 GiB: " + size);
        }
        this.size = size;
        this.words = new long[(int) (size / Long.BYTES)];
    }

    long size() {
        return size;
    }

    long pages() {
        return size >>> PAGE_SHIFT;
    }

    /** Every guest store goes through here: data only, dirty tracking is the caller's job. */
    public void write64(long address, long value) {
        words[wordIndex(address)] = value;
    }

    public long read64(long address) {
        return words[wordIndex(address)];
    }

    /** Copies one page into {@code into}, starting at word {@code offset} (migration's send). */
    void copyPage(long page, LongBuffer into, int offset) {
        into.put(offset, words, pageWordIndex(page), WORDS_PER_PAGE);
    }

    /** The first page from {@code firstPage} on whose words differ from {@code other}'s, or -1. */
    long firstDifferentPage(long firstPage, LongBuffer other) {
        int from = pageWordIndex(firstPage);
        int word = LongBuffer.wrap(words, from, other.capacity()).slice().mismatch(other.duplicate().clear());
        return word < 0 ? -1 : firstPage + (word >>> (PAGE_SHIFT - 3));
    }

    private int wordIndex(long address) {
        if ((address & (Long.BYTES - 1)) != 0 || address < 0 || address >= size) {
            throw new GuestFault(String.format("bad guest address 0x%x (RAM is 0x%x bytes, 8-byte aligned accesses)", address, size));
        }
        return (int) (address >>> 3);
    }

    private int pageWordIndex(long page) {
        return (int) (page << (PAGE_SHIFT - 3));
    }
}
