package io.dirtylimit.agent.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The page sketch's estimates against exact counts, small (linear counting) and large (HyperLogLog). */
class PageSketchTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 10, 100, 500, 2_000, 20_000, 300_000})
    void estimatesDistinctPagesWithinItsError(long pages) {
        byte[] registers = new byte[PageSketch.REGISTERS * 2];
        for (long page = 0; page < pages; page++) {
            for (int write = 0; write < 3; write++) {
                add(registers, PageSketch.REGISTERS, page);
            }
        }
        // About 5 % standard error below 640 pages (linear counting), 6.5 % above (HyperLogLog): within 3 sigma.
        double tolerance = pages < 1000 ? 0.15 : 0.2;
        assertThat((double) PageSketch.estimate(registers, PageSketch.REGISTERS)).isCloseTo(pages, within(Math.max(1, pages * tolerance)));
        assertThat(PageSketch.estimate(registers, 0)).as("the neighbouring sketch is untouched").isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 4096, 1L << 40, -4096})
    void zeroAndLargeValuesHashApart(long page) {
        assertThat(PageSketch.hash(page)).isNotZero();
        assertThat(PageSketch.rank(PageSketch.hash(page))).isBetween(1, 57);
    }

    private static void add(byte[] registers, int from, long page) {
        long hash = PageSketch.hash(page);
        int i = from + PageSketch.register(hash);
        registers[i] = (byte) Math.max(registers[i], PageSketch.rank(hash));
    }
}
