package io.dirtylimit.agent.discover;

/**
 * Distinct-count sketches (HyperLogLog, 256 one-byte registers, about 6.5 % standard error; linear
 * counting, nearly exact, below about 640) over 4 KiB page numbers. The registers live in the
 * recorder's one shared array; this class only says where a value goes and what a register set
 * estimates.
 */
final class PageSketch {
    /** Registers per sketch. */
    static final int REGISTERS = 256;
    /** The page the sketches count: 4 KiB, whatever the emulator's page size. */
    static final int PAGE_SHIFT = 12;
    private static final double ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

    private PageSketch() {}

    /** A 64-bit hash of {@code value} (SplitMix64's finaliser, so 0 does not hash to 0). */
    static long hash(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The register a hash updates: its top 8 bits. */
    static int register(long hash) {
        return (int) (hash >>> 56);
    }

    /** The rank a hash puts in its register: 1 + the leading zeros of its other 56 bits (1..57). */
    static int rank(long hash) {
        return Long.numberOfLeadingZeros((hash << 8) | 0x80L) + 1;
    }

    /**
     * The number of distinct values the registers {@code [from, from + REGISTERS)} saw.
     *
     * @param registers the shared register array
     * @param from the first register of this sketch
     * @return the estimate, rounded
     */
    static long estimate(byte[] registers, int from) {
        double sum = 0;
        int zeros = 0;
        for (int i = 0; i < REGISTERS; i++) {
            int rank = registers[from + i];
            sum += Math.scalb(1.0, -rank);
            if (rank == 0) {
                zeros++;
            }
        }
        double raw = ALPHA * REGISTERS * REGISTERS / sum;
        if (raw <= 2.5 * REGISTERS && zeros > 0) {
            return Math.round(REGISTERS * Math.log((double) REGISTERS / zeros));
        }
        return Math.round(raw);
    }
}
