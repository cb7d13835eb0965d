package io.dirtylimit.examples.othervm;

/**
 * The guest ISA of this emulator: eight 64-bit registers and a handful of three-word
 * instructions {@code op, a, b}. {@code ST} is a block store through the bus.
 */
final class Program {
    static final int LI = 0;    // r[a] = b
    static final int MOV = 1;   // r[a] = r[b]
    static final int ADD = 2;   // r[a] += r[b]
    static final int ADDI = 3;  // r[a] += b
    static final int ANDI = 4;  // r[a] &= b
    static final int MIX = 5;   // r[a] = an LCG step of r[a] (guest compute)
    static final int ST = 6;    // store b bytes at address r[a]
    static final int OUT = 7;   // write one byte to doorbell port b
    static final int JMP = 8;   // pc = a

    private Program() {}

    /**
     * The sweep every CPU runs: store a block at the start of each page of its region in turn,
     * wrapping around, ringing the doorbell after each store.
     *
     * @param base first address of the region
     * @param size region size in bytes, a power of two
     * @param block bytes per store
     */
    static int[] sweep(long base, long size, int block) {
        if (Long.bitCount(size) != 1 || base > Integer.MAX_VALUE || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region must be a power of two below 2 GiB");
        }
        return new int[] {
            LI, 0, (int) base,
            LI, 2, 0,
            MOV, 3, 0,          // loop: pc 2
            ADD, 3, 2,
            MIX, 5, 0,
            ST, 3, block,
            OUT, 0, 0,
            ADDI, 2, RamBus.PAGE_SIZE,
            ANDI, 2, (int) (size - 1),
            JMP, 2, 0,
        };
    }
}
