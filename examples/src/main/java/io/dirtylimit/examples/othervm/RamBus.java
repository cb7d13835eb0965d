package io.dirtylimit.examples.othervm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Guest RAM, and the emulator's own ground truth of dirtying: a page written for the first time
 * since the last {@link #harvest} is charged to the CPU whose thread wrote it.
 */
final class RamBus implements MemoryBus {
    static final int PAGE_SHIFT = 12;
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final byte[] ram;
    /** One bit per page: written since the last harvest (atomic OR by writers, atomic clear by the harvest). */
    private final long[] dirty;

    RamBus(int bytes) {
        if (bytes <= 0 || bytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of " + PAGE_SIZE);
        }
        ram = new byte[bytes];
        dirty = new long[(bytes / PAGE_SIZE + 63) / 64];
    }

    long size() {
        return ram.length;
    }

    @Override
    public void write(long guestAddress, byte[] data, int offset, int length) {
        checkRange(guestAddress, length);
        System.arraycopy(data, offset, ram, (int) guestAddress, length);
        markDirty(guestAddress, length);
    }

    @Override
    public void read(long guestAddress, byte[] into, int offset, int length) {
        checkRange(guestAddress, length);
        System.arraycopy(ram, (int) guestAddress, into, offset, length);
    }

    private void checkRange(long guestAddress, int length) {
        if (guestAddress < 0 || length < 0 || guestAddress + length > ram.length) {
            throw new IllegalArgumentException("access outside RAM: " + guestAddress + "+" + length);
        }
    }

    private void markDirty(long guestAddress, int length) {
        if (length == 0) {
            return;
        }
        long last = (guestAddress + length - 1) >>> PAGE_SHIFT;
        for (long page = guestAddress >>> PAGE_SHIFT; page <= last; page++) {
            int word = (int) (page >>> 6);
            long bit = 1L << page;
            if (((long) WORDS.getOpaque(dirty, word) & bit) == 0 && ((long) WORDS.getAndBitwiseOr(dirty, word, bit) & bit) == 0) {
                Cpu.chargeNewlyDirtiedPage();
            }
        }
    }

    /** Forgets which pages were written (the once-a-second harvest). */
    void harvest() {
        for (int i = 0; i < dirty.length; i++) {
            if ((long) WORDS.getOpaque(dirty, i) != 0) {
                WORDS.getAndSet(dirty, i, 0L);
            }
        }
    }

    /** A checksum of RAM, so a run can show its memory is intact. */
    long checksum() {
        long sum = 1;
        for (byte b : ram) {
            sum = 31 * sum + b;
        }
        return sum;
    }
}
