package io.dirtylimit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PageTrackerTest {
    private final PageTracker tracker = new PageTracker("memory", 12);

    @Test
    void theFirstWriteSinceTheHarvestCountsLaterOnesDoNot() {
        assertThat(tracker.isMarked(5)).isFalse();
        assertThat(tracker.mark(5)).isTrue();
        assertThat(tracker.isMarked(5)).isTrue();
        assertThat(tracker.mark(5)).isFalse();
        assertThat(tracker.isMarked(4)).isFalse();

        assertThat(tracker.harvest()).isEqualTo(1);
        assertThat(tracker.isMarked(5)).isFalse();
        assertThat(tracker.mark(5)).isTrue();
    }

    @Test
    void rangesCountOnlyTheirNewPagesAcrossChunkBoundaries() {
        long boundary = PageTracker.CHUNK_PAGES;
        tracker.mark(boundary);
        assertThat(tracker.markRange(boundary - 2, boundary + 1)).isEqualTo(3);
        assertThat(tracker.markRange(boundary - 2, boundary + 1)).isZero();
        assertThat(tracker.markRange(3, 2)).isZero();
        assertThat(tracker.harvest()).isEqualTo(4);
    }

    @Test
    void everyPageNumberIsTrackedAndMemoryFollowsThePagesTouched() {
        long top = -1L >>> 12;
        assertThat(tracker.mark(top)).isTrue();
        assertThat(tracker.isMarked(top)).isTrue();
        assertThat(tracker.mark(0)).isTrue();
        assertThat(tracker.mark(1L << 40)).isTrue();
        assertThat(tracker.chunks()).isEqualTo(3);
        for (long page = 0; page < 100 * PageTracker.CHUNK_PAGES; page += 7) {
            tracker.mark(page);
        }
        assertThat(tracker.chunks()).isEqualTo(102);
        assertThat(tracker.isMarked(7 * 1000)).isTrue();
        assertThat(tracker.isMarked(7 * 1000 + 1)).isFalse();
    }

    @Test
    void anObjectSpacesTrackerGrowsItsDirectoryToTheHighestChunkTouched() {
        PageTracker object = new PageTracker("LinearMemory@1", 12, false);
        long boundary = (long) PageTracker.DIRECT_CHUNKS * PageTracker.CHUNK_PAGES;
        assertThat(object.markRange(0, 99)).isEqualTo(100);
        assertThat(object.markRange(5 * PageTracker.CHUNK_PAGES + 3, 5 * PageTracker.CHUNK_PAGES + 3)).isEqualTo(1);
        assertThat(object.markRange(boundary - 1, boundary)).isEqualTo(2);
        assertThat(object.isMarked(99)).isTrue();
        assertThat(object.isMarked(100)).isFalse();
        assertThat(object.isMarked(boundary)).isTrue();
        assertThat(object.chunks()).isEqualTo(4);
        assertThat(object.harvest()).isEqualTo(103);
        assertThat(object.isMarked(99)).isFalse();
    }

    @Test
    void rangesMarkWholeWordsAndCountOnlyNewPages() {
        tracker.mark(70);
        assertThat(tracker.markRange(3, 200)).isEqualTo(197);
        assertThat(tracker.markRange(0, 3 * PageTracker.CHUNK_PAGES - 1)).isEqualTo(3 * PageTracker.CHUNK_PAGES - 198);
        assertThat(tracker.markRange(64, 127)).isZero();
        assertThat(tracker.harvest()).isEqualTo(3 * PageTracker.CHUNK_PAGES);
        long boundary = (long) PageTracker.NAMED_DIRECT_CHUNKS * PageTracker.CHUNK_PAGES;
        assertThat(tracker.markRange(boundary - 3, boundary + 2)).as("across the directory's end").isEqualTo(6);
        assertThat(tracker.isMarked(boundary)).isTrue();
        assertThat(tracker.isMarked(boundary + 3)).isFalse();
        long top = -1L;
        assertThat(tracker.markRange(top - 2, top)).isEqualTo(3);
        tracker.harvest();
        assertThat(tracker.markRange(0, PageTracker.MAX_RANGE_PAGES * 3)).isEqualTo((int) PageTracker.MAX_RANGE_PAGES);
        assertThat(tracker.harvest()).isEqualTo(PageTracker.MAX_RANGE_PAGES);
    }

    @Test
    void racingWritersCountEachPageExactlyOnce() throws Exception {
        int threads = 4;
        int pages = 200_000;
        AtomicLong fresh = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                long mine = 0;
                for (int page = 0; page < pages; page++) {
                    if (!tracker.isMarked(page) && tracker.mark(page)) {
                        mine++;
                    }
                }
                fresh.addAndGet(mine);
            });
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(fresh.get()).isEqualTo(pages);
        assertThat(tracker.harvest()).isEqualTo(pages);
    }
}
