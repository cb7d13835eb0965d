package io.dirtylimit.examples.toyvm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/**
 * The migration destination's RAM, off the Java heap in 1 MiB chunks allocated as pages first
 * arrive. Not one big heap array: zeroing a huge array holds off safepoints, and humongous
 * allocations start GC cycles one after the other; both would stall the running vCPUs for
 * as long as the kernel takes to fault the memory in.
 */
final class DestinationRam {
    static final int CHUNK_PAGES = 256;

    private final long pages;
    /** Migration thread only. */
    private final LongBuffer[] chunks;

    DestinationRam(long pages) {
        this.pages = pages;
        this.chunks = new LongBuffer[Math.toIntExact((pages + CHUNK_PAGES - 1) / CHUNK_PAGES)];
    }

    long pages() {
        return pages;
    }

    /** Receives one page: copies it from the source. */
    void receive(long page, GuestMemory source) {
        source.copyPage(page, chunk(page), (int) (page % CHUNK_PAGES) * GuestMemory.WORDS_PER_PAGE);
    }

    /** The first page whose contents differ from {@code source}, or -1 when identical. */
    long firstDifferentPage(GuestMemory source) {
        for (int c = 0; c < chunks.length; c++) {
            long first = (long) c * CHUNK_PAGES;
            long different = source.firstDifferentPage(first, chunk(first));
            if (different >= 0) {
                return different;
            }
        }
        return -1;
    }

    private LongBuffer chunk(long page) {
        int c = (int) (page / CHUNK_PAGES);
        if (chunks[c] == null) {
            long chunkPages = Math.min(CHUNK_PAGES, pages - (long) c * CHUNK_PAGES);
            chunks[c] = ByteBuffer.allocateDirect((int) chunkPages * GuestMemory.PAGE_SIZE)
                    .order(ByteOrder.nativeOrder())
                    .asLongBuffer();
        }
        return chunks[c];
    }
}
