package io.dirtylimit.examples.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The runtime's memory and its own dirty tracking: deterministic. */
class LinearMemoryTest {
    private static final int PAGE = LinearMemory.PAGE_SIZE;

    private final LinearMemory memory = new LinearMemory(16 * PAGE);

    @Test
    void writeCopiesTheDataRangeUpToItsExclusiveEnd() {
        byte[] data = {1, 2, 3, 4, 5, 6};
        memory.write(100, data, 2, 5);
        assertThat(new byte[] {memory.read(99), memory.read(100), memory.read(101), memory.read(102), memory.read(103)})
                .containsExactly(0, 3, 4, 5, 0);
    }

    @Test
    void fillSetsTheAddressRangeUpToItsExclusiveEnd() {
        memory.fill((byte) 7, PAGE - 2, PAGE + 2);
        assertThat(new byte[] {memory.read(PAGE - 3), memory.read(PAGE - 2), memory.read(PAGE + 1), memory.read(PAGE + 2)})
                .containsExactly(0, 7, 7, 0);
    }

    @Test
    void eachPageIsCountedOncePerHarvestWhateverWroteItAndHowOften() {
        byte[] data = new byte[1024];
        for (int i = 0; i < 10; i++) {
            memory.write(0, data, 0, 1024);
            memory.write(3 * 1024, data, 0, 1024);
        }
        memory.fill((byte) 1, 0, PAGE);
        memory.fill((byte) 1, 5 * PAGE, 6 * PAGE);
        assertThat(memory.harvestDirtyPages()).as("pages 0 and 5").isEqualTo(2);
        assertThat(memory.harvestDirtyPages()).as("nothing since").isZero();
        memory.write(5 * PAGE + 17, data, 0, 1);
        assertThat(memory.harvestDirtyPages()).as("page 5 again after the harvest").isEqualTo(1);
    }

    @Test
    void aStoreCountsEveryPageItTouchesAndAnEmptyOneNone() {
        memory.write(PAGE - 1, new byte[PAGE + 2], 0, PAGE + 2);
        assertThat(memory.harvestDirtyPages()).as("pages 0, 1 and 2").isEqualTo(3);
        memory.write(0, new byte[8], 4, 4);
        memory.fill((byte) 1, 3 * PAGE, 3 * PAGE);
        assertThat(memory.harvestDirtyPages()).isZero();
        memory.fill((byte) 1, 0, 16 * PAGE);
        assertThat(memory.harvestDirtyPages()).as("the whole memory").isEqualTo(16);
    }

    @Test
    void twoMemoriesAtTheSameGuestAddressesCountApart() {
        LinearMemory other = new LinearMemory(16 * PAGE);
        memory.write(2 * PAGE, new byte[1], 0, 1);
        other.write(2 * PAGE, new byte[1], 0, 1);
        other.fill((byte) 3, 3 * PAGE, 3 * PAGE + 1);
        assertThat(memory.harvestDirtyPages()).isEqualTo(1);
        assertThat(other.harvestDirtyPages()).isEqualTo(2);
    }

    @Test
    void addressesAreUnsignedSoAMemoryCanReachThreeGibibytes() {
        LinearMemory big = new LinearMemory(LinearMemory.MAX_SIZE, 16); // chunks are allocated when touched
        int at3GiB = (int) (3L << 30) - 2 * PAGE;
        assertThat(at3GiB).isNegative();
        big.write(at3GiB, new byte[] {9, 8}, 0, 2);
        big.fill((byte) 5, at3GiB + PAGE, (int) LinearMemory.MAX_SIZE);
        assertThat(big.read(at3GiB + 1)).isEqualTo((byte) 8);
        assertThat(big.read((int) LinearMemory.MAX_SIZE - 1)).isEqualTo((byte) 5);
        assertThat(big.read(1 << 30)).as("an untouched chunk reads zero").isZero();
        assertThat(big.harvestDirtyPages()).isEqualTo(2);
    }

    @Test
    void storesAcrossChunkBoundariesLandWhereTheyShould() {
        LinearMemory chunked = new LinearMemory(4 * PAGE, 12);
        byte[] data = new byte[PAGE + 2];
        data[0] = 1;
        data[PAGE + 1] = 2;
        chunked.write(PAGE - 1, data, 0, data.length);
        chunked.fill((byte) 4, 3 * PAGE - 1, 3 * PAGE + 1);
        assertThat(chunked.read(PAGE - 1)).isEqualTo((byte) 1);
        assertThat(chunked.read(2 * PAGE)).isEqualTo((byte) 2);
        assertThat(chunked.read(3 * PAGE - 1)).isEqualTo((byte) 4);
        assertThat(chunked.read(3 * PAGE)).isEqualTo((byte) 4);
        assertThat(chunked.harvestDirtyPages()).isEqualTo(4);
    }

    @Test
    void outOfBoundsAccessesAreRefusedAndMarkNothing() {
        assertThatThrownBy(() -> memory.write(16 * PAGE - 1, new byte[2], 0, 2))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("out of bounds memory access: [0xffff, 0x10001) in a memory of 0x10000 bytes");
        assertThatThrownBy(() -> memory.write(-1, new byte[1], 0, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("[0xffffffff, 0x100000000)");
        assertThatThrownBy(() -> memory.write(0, new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("data range [3, 2) of a 4-byte array");
        assertThatThrownBy(() -> memory.write(0, new byte[4], 0, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> memory.fill((byte) 1, 8, 4)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("fill from 0x8 to 0x4: the end is before the start");
        assertThatThrownBy(() -> memory.fill((byte) 1, 0, 16 * PAGE + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> memory.read(16 * PAGE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(memory.harvestDirtyPages()).isZero();
    }

    @Test
    void sizesAreCheckedAtCreation() {
        assertThatThrownBy(() -> new LinearMemory(1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinearMemory(LinearMemory.MAX_SIZE + PAGE)).isInstanceOf(IllegalArgumentException.class);
    }
}
