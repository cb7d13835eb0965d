package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirtyRingTest {
    private final List<Long> harvested = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final DirtyRing.Harvester sink = new DirtyRing.Harvester() {
        @Override
        public void reprotect(long page) {
            calls.add("reprotect " + page);
        }

        @Override
        public void reprotected() {
            calls.add("fence");
        }

        @Override
        public void publish(long page) {
            calls.add("publish " + page);
            harvested.add(page);
        }
    };

    @Test
    void pushReportsFullWhenTheRingHoldsItsSize() {
        DirtyRing ring = new DirtyRing(4);
        assertThat(ring.push(10)).isFalse();
        assertThat(ring.push(11)).isFalse();
        assertThat(ring.push(12)).isFalse();
        assertThat(ring.push(13)).isTrue();
        assertThat(ring.fillAcquire()).isEqualTo(4);
    }

    @Test
    void harvestHandsOverEntriesInPushOrderAndCountsThem() {
        DirtyRing ring = new DirtyRing(4);
        ring.push(7);
        ring.push(3);
        ring.push(5);
        assertThat(ring.harvestInto(sink)).isEqualTo(3);
        assertThat(harvested).containsExactly(7L, 3L, 5L);
        assertThat(calls).as("re-protect all, fence, then publish")
                .containsExactly("reprotect 7", "reprotect 3", "reprotect 5", "fence", "publish 7", "publish 3", "publish 5");
        assertThat(ring.fillAcquire()).isZero();
        assertThat(ring.harvestInto(sink)).isZero();
        assertThat(ring.harvestedPagesAcquire()).isEqualTo(3);
    }

    @Test
    void keepsWorkingAcrossManyWrapArounds() {
        DirtyRing ring = new DirtyRing(4);
        List<Long> pushed = new ArrayList<>();
        for (long page = 0; page < 1000; page++) {
            pushed.add(page);
            if (ring.push(page)) {
                ring.harvestInto(sink);
            }
        }
        ring.harvestInto(sink);
        assertThat(harvested).isEqualTo(pushed);
        assertThat(ring.harvestedPagesAcquire()).isEqualTo(1000);
    }

    @Test
    void hasSlackBeyondItsSizeButNeverOverflowsSilently() {
        DirtyRing ring = new DirtyRing(4);
        for (int i = 0; i < 8; i++) {
            ring.push(i);
        }
        assertThatThrownBy(() -> ring.push(8)).isInstanceOf(IllegalStateException.class).hasMessageContaining("overflow");
        ring.harvestInto(sink);
        assertThat(harvested).hasSize(8);
    }

    @Test
    void sizeMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new DirtyRing(1000)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new DirtyRing(0)).hasMessageContaining("power of two");
    }
}
