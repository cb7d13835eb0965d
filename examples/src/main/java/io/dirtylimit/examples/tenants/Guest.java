package io.dirtylimit.examples.tenants;

import java.util.function.LongSupplier;

/**
 * One tenant: a little program over its own {@link LinearMemory}, run in slices by whichever
 * worker thread the pool gives it.
 *
 * <p>The program writes its memory sequentially, page by page, wrapping at the end: seven pages
 * out of eight as four {@link LinearMemory#write} calls of 1 KiB each (always {@code from = 0},
 * so the stored length is {@code to}), every eighth page as one {@link LinearMemory#fill} of the
 * whole page (a memset). Paced at its rate in batches of about a millisecond of pages, without
 * catching up after a stall of more than {@link #STALL_NANOS}; flat out at {@code max}.
 *
 * <p>Threads: a guest runs on one worker at a time; the pool's queues hand it over, so its
 * plain fields need no further ordering.
 */
final class Guest {
    static final int PIECE = 1024;
    static final int PIECES_PER_PAGE = LinearMemory.PAGE_SIZE / PIECE;
    /** Every FILL_EVERY-th page is a fill, the others are writes. */
    static final int FILL_EVERY = 8;
    static final long STALL_NANOS = 10_000_000L;
    static final long BATCH_PERIOD_NANOS = 1_000_000L;
    /** Pages between clock reads when flat out. */
    static final int FLAT_OUT_BATCH_PAGES = 64;

    private final int index;
    private final LinearMemory memory;
    private final LongSupplier clock;
    private final int batchPages;
    /** 0 when flat out. */
    private final long batchNanos;
    private final byte[] piece = new byte[PIECE];

    private long cursor;
    private long pass;
    private long nextDueNanos;
    private boolean started;

    private Thread lastThread;
    /** Written by the worker running this guest, read by tests and the banner. */
    private volatile long slicesVolatile;
    private volatile long threadSwitchesVolatile;

    /**
     * @param rateMbps MB/s (MiB) of pages, or infinity for flat out
     * @param clock nanoseconds, the same clock the pool schedules by
     */
    Guest(int index, LinearMemory memory, double rateMbps, LongSupplier clock) {
        this.index = index;
        this.memory = memory;
        this.clock = clock;
        if (Double.isInfinite(rateMbps)) {
            this.batchPages = FLAT_OUT_BATCH_PAGES;
            this.batchNanos = 0;
        } else {
            double pagesPerSecond = rateMbps * (1 << 20) / LinearMemory.PAGE_SIZE;
            this.batchPages = (int) Math.max(1, Math.round(pagesPerSecond * BATCH_PERIOD_NANOS / 1e9));
            this.batchNanos = Math.max(1, Math.round(batchPages * 1e9 / pagesPerSecond));
        }
        refreshPiece();
    }

    int index() {
        return index;
    }

    LinearMemory memory() {
        return memory;
    }

    boolean flatOut() {
        return batchNanos == 0;
    }

    /**
     * Runs batches until {@code sliceEndNanos} or until its schedule says wait; returns when its
     * next slice is due (now or earlier when it was preempted, later when it waits).
     */
    long runSlice(long sliceEndNanos) {
        countSlice();
        long now = clock.getAsLong();
        if (!started) {
            started = true;
            nextDueNanos = now;
        }
        while (true) {
            if (!flatOut()) {
                if (now < nextDueNanos) {
                    return nextDueNanos;
                }
                if (now - nextDueNanos > STALL_NANOS) {
                    nextDueNanos = now; // stalled: that time is lost, no catching up
                }
            }
            runBatch();
            nextDueNanos += batchNanos;
            now = clock.getAsLong();
            if (now >= sliceEndNanos) {
                return flatOut() ? now : nextDueNanos;
            }
        }
    }

    private void runBatch() {
        for (int i = 0; i < batchPages; i++) {
            step();
        }
    }

    /** One page: a fill every FILL_EVERY pages, else four 1 KiB writes. */
    private void step() {
        int address = (int) cursor;
        if ((cursor >>> LinearMemory.PAGE_SHIFT) % FILL_EVERY == FILL_EVERY - 1) {
            memory.fill(fillValue(index, pass), address, address + LinearMemory.PAGE_SIZE);
        } else {
            for (int i = 0; i < PIECES_PER_PAGE; i++) {
                memory.write(address + i * PIECE, piece, 0, PIECE);
            }
        }
        cursor += LinearMemory.PAGE_SIZE;
        if (cursor >= memory.size()) {
            cursor = 0;
            pass++;
            refreshPiece();
        }
    }

    /** The data of the write pieces: guest, pass and position, so each pass changes memory. */
    private void refreshPiece() {
        for (int i = 0; i < PIECE; i++) {
            piece[i] = writeValue(index, pass, i);
        }
    }

    static byte writeValue(int guest, long pass, int offsetInPiece) {
        return (byte) (guest * 31 + pass * 7 + offsetInPiece);
    }

    static byte fillValue(int guest, long pass) {
        return (byte) (0x80 | (guest + pass) & 0x7f);
    }

    private void countSlice() {
        Thread current = Thread.currentThread();
        if (lastThread != null && lastThread != current) {
            threadSwitchesVolatile = threadSwitchesVolatile + 1;
        }
        lastThread = current;
        slicesVolatile = slicesVolatile + 1;
    }

    /** Slices run so far. */
    long slices() {
        return slicesVolatile;
    }

    /** Times a slice ran on another thread than the slice before it. */
    long threadSwitches() {
        return threadSwitchesVolatile;
    }

    /** The pass (0-based) the program is in. */
    long pass() {
        return pass;
    }

    @Override
    public String toString() {
        return "guest " + index;
    }
}
