package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No dirty page is lost while rings are harvested concurrently. Writer threads play vCPUs
 * storing to random words of a few shared pages (so stores race with harvests of the same
 * page all the time); a reaper thread harvests every ring in a loop; a migration-like thread
 * syncs, takes the VM bitmap and copies the taken pages to a destination. Each round the
 * writers stop, one last sync is copied, and the destination must equal the source: a store
 * that neither re-dirtied its page nor made it into a copy shows up as a difference, unless a
 * later store to the page hid it, hence many short rounds on few pages.
 */
class NoLostPageTest {
    private static final int PAGES = 64;
    private static final int WRITERS = 3;
    private static final int ROUNDS = 60;
    private static final long ROUND_NANOS = 15_000_000L;

    @ParameterizedTest(name = "ring {0}")
    @ValueSource(ints = {16, 0})
    void everyStoreReachesTheDestination(int ring) throws Exception {
        Machine vm = TestVms.machine("--mem", PAGES * 4 + "K", "--vcpus", Integer.toString(WRITERS),
                "--ring", Integer.toString(ring), "--stats", "none");
        DestinationRam destination = new DestinationRam(PAGES);
        long[] dirty = new long[vm.tracker().bitmapWords()];
        long totalStores = 0;
        for (int round = 0; round < ROUNDS; round++) {
            totalStores += runRound(vm, destination, dirty, round);
            syncAndCopy(vm, destination, dirty);
            assertThat(destination.firstDifferentPage(vm.memory())).as("first lost page, round %d", round).isEqualTo(-1);
            for (int page = 0; page < PAGES; page++) {
                assertThat(vm.tracker().isDirtyVolatile(page)).as("page %d still dirty after the final sync", page).isFalse();
            }
        }
        assertThat(totalStores).as("the writers really raced the harvesters").isGreaterThan(ROUNDS * 1000L);
    }

    /** One round of concurrent stores and harvests; returns the number of stores. */
    private static long runRound(Machine vm, DestinationRam destination, long[] dirty, int round) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] stores = new long[WRITERS];
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            threads.add(new Thread(() -> stores[writer] = write(vm.vcpu(writer), stop, round), "writer-" + w));
        }
        threads.add(new Thread(() -> {
            while (!stop.get()) {
                vm.syncDirty();
            }
        }, "reaper"));
        threads.add(new Thread(() -> {
            while (!stop.get()) {
                syncAndCopy(vm, destination, dirty);
            }
        }, "migration"));
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
            t.start();
        }
        long end = System.nanoTime() + ROUND_NANOS;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
            assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
        }
        assertThat(failure.get()).isNull();
        long sum = 0;
        for (long s : stores) {
            sum += s;
        }
        return sum;
    }

    /** A vCPU storing unique values at random words; handles ring-full exits like the vCPU loop. */
    private static long write(Vcpu vcpu, AtomicBoolean stop, int round) {
        SplittableRandom random = new SplittableRandom(round * 31L + vcpu.index);
        long value = ((long) vcpu.index << 56) | ((long) round << 32);
        long n = 0;
        while (!stop.get()) {
            long address = (long) random.nextInt(PAGES) * GuestMemory.PAGE_SIZE + 8L * random.nextInt(GuestMemory.WORDS_PER_PAGE);
            if (vcpu.store(address, ++value)) {
                vcpu.exitRingFull();
            }
            n++;
        }
        return n;
    }

    /** What migration does each pass: harvest, take the VM bitmap, copy those pages. */
    private static void syncAndCopy(Machine vm, DestinationRam destination, long[] dirty) {
        vm.syncDirty();
        vm.tracker().takeVmBitmap(dirty);
        for (int i = 0; i < dirty.length; i++) {
            long word = dirty[i];
            dirty[i] = 0;
            while (word != 0) {
                destination.receive(((long) i << 6) + Long.numberOfTrailingZeros(word), vm.memory());
                word &= word - 1;
            }
        }
    }
}
