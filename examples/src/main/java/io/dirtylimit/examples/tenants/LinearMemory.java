package io.dirtylimit.examples.tenants;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One guest's memory, shaped like a WebAssembly runtime's linear memory: bytes at guest addresses
 * 0 to {@link #size()}, addressed by {@code int}s read as unsigned 32-bit numbers (so a memory of
 * more than 2 GiB has addresses that are negative as Java ints), stored in chunks allocated on
 * first touch.
 *
 * <p>Every store goes through {@link #write} or {@link #fill}; both take an exclusive end index.
 * The runtime's own dirty tracking (its ground truth, not the agent's) marks each 4 KiB page a
 * store touches; {@link #harvestDirtyPages} counts the pages first written since the previous
 * harvest, once each, and forgets them.
 *
 * <p>Threads: one worker at a time runs the guest that owns this memory (slices are handed over
 * through a queue, which orders them), while the harvester runs concurrently; the dirty bitmap is
 * the only state they share.
 */
public final class LinearMemory {
    /** The dirty-tracking page: 4 KiB, as the host's. */
    public static final int PAGE_SIZE = 4096;
    static final int PAGE_SHIFT = 12;
    /** The largest memory: 3 GiB, so that exclusive ends fit in an unsigned int. */
    public static final long MAX_SIZE = 3L << 30;
    static final int DEFAULT_CHUNK_SHIFT = 26;

    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long size;
    private final int chunkShift;
    private final long chunkMask;
    /** Guest data; a chunk is allocated by the first store into it (owner thread only). */
    private final byte[][] chunks;
    /** One bit per page written since the last harvest: opaque reads, atomic OR, atomic clear. */
    private final long[] dirtyBits;

    /** A zeroed memory of {@code size} bytes, a positive multiple of 4 KiB up to {@link #MAX_SIZE}. */
    public LinearMemory(long size) {
        this(size, DEFAULT_CHUNK_SHIFT);
    }

    /** With chunks of 2^{@code chunkShift} bytes (tests use small ones). */
    LinearMemory(long size, int chunkShift) {
        if (size <= 0 || size % PAGE_SIZE != 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("memory size must be a positive multiple of 4 KiB up to 3 GiB: " + size);
        }
        if (chunkShift < PAGE_SHIFT || chunkShift > 30) {
            throw new IllegalArgumentException("chunk shift must be from 12 to 30: " + chunkShift);
        }
        this.size = size;
        this.chunkShift = chunkShift;
        this.chunkMask = (1L << chunkShift) - 1;
        this.chunks = new byte[(int) ((size + chunkMask) >>> chunkShift)][];
        this.dirtyBits = new long[(int) ((size / PAGE_SIZE + 63) / 64)];
    }

    /** Bytes of guest memory. */
    public long size() {
        return size;
    }

    /**
     * Copies {@code data[from..to)} to guest addresses {@code [address, address + to - from)}.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code data} or outside this memory
     */
    public void write(int address, byte[] data, int from, int to) {
        if (from < 0 || from > to || to > data.length) {
            throw new IndexOutOfBoundsException("data range [" + from + ", " + to + ") of a " + data.length + "-byte array");
        }
        long start = Integer.toUnsignedLong(address);
        long end = start + (to - from);
        checkRange(start, end);
        for (long at = start; at < end; ) {
            int n = (int) Math.min(end - at, chunkEnd(at) - at);
            System.arraycopy(data, from + (int) (at - start), chunkFor(at), offset(at), n);
            at += n;
        }
        markDirty(start, end);
    }

    /**
     * Sets guest addresses {@code [from, to)} to {@code value} (a guest's memset).
     *
     * @throws IndexOutOfBoundsException if the range is outside this memory or {@code from > to}
     */
    public void fill(byte value, int from, int to) {
        long start = Integer.toUnsignedLong(from);
        long end = Integer.toUnsignedLong(to);
        if (start > end) {
            throw new IndexOutOfBoundsException(String.format("fill from 0x%x to 0x%x: the end is before the start", start, end));
        }
        checkRange(start, end);
        for (long at = start; at < end; ) {
            long n = Math.min(end, chunkEnd(at)) - at;
            byte[] chunk = chunkFor(at);
            Arrays.fill(chunk, offset(at), offset(at) + (int) n, value);
            at += n;
        }
        markDirty(start, end);
    }

    /** The byte at a guest address (unsigned). */
    public byte read(int address) {
        long at = Integer.toUnsignedLong(address);
        checkRange(at, at + 1);
        byte[] chunk = chunks[(int) (at >>> chunkShift)];
        return chunk == null ? 0 : chunk[offset(at)];
    }

    /**
     * The pages first written since the previous harvest, each counted once; forgets them. Any
     * thread, concurrently with stores: a store racing with the harvest is counted in this
     * harvest or the next.
     */
    long harvestDirtyPages() {
        long pages = 0;
        for (int i = 0; i < dirtyBits.length; i++) {
            if ((long) BITS.getOpaque(dirtyBits, i) != 0) {
                pages += Long.bitCount((long) BITS.getAndSet(dirtyBits, i, 0L));
            }
        }
        return pages;
    }

    private void markDirty(long start, long end) {
        if (start == end) {
            return;
        }
        long last = (end - 1) >>> PAGE_SHIFT;
        for (long page = start >>> PAGE_SHIFT; page <= last; page++) {
            int word = (int) (page >>> 6);
            long bit = 1L << page;
            if (((long) BITS.getOpaque(dirtyBits, word) & bit) == 0) {
                BITS.getAndBitwiseOr(dirtyBits, word, bit);
            }
        }
    }

    private void checkRange(long start, long end) {
        if (end > size) {
            throw new IndexOutOfBoundsException(String.format(
                    "out of bounds memory access: [0x%x, 0x%x) in a memory of 0x%x bytes", start, end, size));
        }
    }

    private byte[] chunkFor(long at) {
        int i = (int) (at >>> chunkShift);
        byte[] chunk = chunks[i];
        if (chunk == null) {
            chunk = new byte[(int) Math.min(1L << chunkShift, size - ((long) i << chunkShift))];
            chunks[i] = chunk;
        }
        return chunk;
    }

    private long chunkEnd(long at) {
        return (at | chunkMask) + 1;
    }

    private int offset(long at) {
        return (int) (at & chunkMask);
    }
}
