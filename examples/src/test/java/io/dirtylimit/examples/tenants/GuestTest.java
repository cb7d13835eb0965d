package io.dirtylimit.examples.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** A guest's program and pacing on virtual time: deterministic, tight numbers. */
class GuestTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int PAGE = LinearMemory.PAGE_SIZE;
    /** Virtual time each clock read costs. */
    private static final long TICK = 1_000;

    private long now;

    private long read() {
        now += TICK;
        return now;
    }

    /** Runs slices on virtual time, jumping to each due time, until {@code until}. */
    private void runUntil(Guest guest, long until) {
        while (now < until) {
            long due = guest.runSlice(now + WorkerPool.SLICE_NANOS);
            now = Math.max(now, Math.min(due, until));
        }
    }

    private static double pagesPerSecond(double mbps) {
        return mbps * (1 << 20) / PAGE;
    }

    @Test
    void writesItsMemoryInOrderSevenPagesInEightByWriteAndTheEighthByFill() {
        LinearMemory memory = new LinearMemory(64 * PAGE);
        Guest guest = new Guest(3, memory, TenantOptions.FLAT_OUT, this::read);
        guest.runSlice(0); // one flat-out batch of 64 pages: the whole memory, once
        assertThat(memory.harvestDirtyPages()).isEqualTo(64);
        assertThat(guest.pass()).isEqualTo(1);
        for (int page = 0; page < 64; page++) {
            for (int offset : new int[] {0, 1023, 1024, 4095}) {
                byte expected = page % 8 == 7 ? Guest.fillValue(3, 0) : Guest.writeValue(3, 0, offset % Guest.PIECE);
                assertThat(memory.read(page * PAGE + offset)).as("page %d offset %d", page, offset).isEqualTo(expected);
            }
        }
        guest.runSlice(0);
        assertThat(memory.read(7 * PAGE)).as("the next pass fills with another value").isEqualTo(Guest.fillValue(3, 1));
        assertThat(memory.read(0)).isEqualTo(Guest.writeValue(3, 1, 0));
    }

    @Test
    void aFlatOutGuestRunsUntilItsSliceEndsAndIsDueAtOnce() {
        Guest guest = new Guest(0, new LinearMemory(64 * PAGE), TenantOptions.FLAT_OUT, this::read);
        long due = guest.runSlice(now + 50 * TICK);
        assertThat(due).isEqualTo(now).isGreaterThanOrEqualTo(50 * TICK);
        assertThat(guest.pass()).as("a batch per clock read").isBetween(49L, 51L);
    }

    @Test
    void aPacedGuestDirtiesItsRateEachSecond() {
        for (double mbps : new double[] {1, 10, 100}) {
            now = 0;
            LinearMemory memory = new LinearMemory(256L << 20);
            Guest guest = new Guest(0, memory, mbps, this::read);
            for (int second = 1; second <= 3; second++) {
                runUntil(guest, second * SECOND);
                assertThat((double) memory.harvestDirtyPages()).as("%s MB/s, second %d", mbps, second)
                        .isCloseTo(pagesPerSecond(mbps), within(pagesPerSecond(mbps) * 0.01 + 1));
            }
        }
    }

    @Test
    void aStalledGuestDoesNotCatchUp() {
        LinearMemory memory = new LinearMemory(64L << 20);
        Guest guest = new Guest(0, memory, 10, this::read);
        runUntil(guest, SECOND);
        memory.harvestDirtyPages();
        now += SECOND / 2; // its worker was busy elsewhere for half a second
        runUntil(guest, 2 * SECOND);
        double rate = pagesPerSecond(10);
        assertThat((double) memory.harvestDirtyPages()).as("half a second lost, no burst").isCloseTo(rate / 2, within(rate * 0.01 + 3));
    }
}
