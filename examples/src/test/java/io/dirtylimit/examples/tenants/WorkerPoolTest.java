package io.dirtylimit.examples.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Guests on pooled threads: real threads, no timing asserted, only order and counts. */
class WorkerPoolTest {
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private static List<Guest> guests(int n, double rate) {
        List<Guest> guests = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            guests.add(new Guest(g, new LinearMemory(256 * LinearMemory.PAGE_SIZE), rate, System::nanoTime));
        }
        return guests;
    }

    private WorkerPool run(int threads, List<Guest> guests, long slicesEach) throws InterruptedException {
        return run(threads, WorkerPool.Order.DUE, guests, slicesEach);
    }

    private WorkerPool run(int threads, WorkerPool.Order order, List<Guest> guests, long slicesEach) throws InterruptedException {
        WorkerPool pool = new WorkerPool(threads, order, err);
        pool.admit(guests);
        pool.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> guests.stream().allMatch(g -> g.slices() >= slicesEach));
        } finally {
            pool.stop();
        }
        return pool;
    }

    @Test
    void aGuestMovesToAnotherWorkerAfterEverySlice() throws Exception {
        for (WorkerPool.Order order : WorkerPool.Order.values()) {
            for (double rate : new double[] {TenantOptions.FLAT_OUT, 50}) {
                aGuestMovesToAnotherWorkerAfterEverySlice(order, rate);
            }
        }
    }

    private void aGuestMovesToAnotherWorkerAfterEverySlice(WorkerPool.Order order, double rate) throws Exception {
        List<Guest> guests = guests(3, rate);
        WorkerPool pool = run(2, order, guests, 20);
        assertThat(pool.threads()).extracting(Thread::getName).containsExactly("tenant-worker-0", "tenant-worker-1");
        assertThat(pool.threads()).noneMatch(Thread::isAlive);
        for (Guest guest : guests) {
            assertThat(guest.threadSwitches()).as("%s at %s MB/s, %s queues", guest, rate, order).isEqualTo(guest.slices() - 1);
        }
    }

    @Test
    void fifoQueuesTakeTheGuestsInTurn() throws Exception {
        List<Guest> guests = guests(3, TenantOptions.FLAT_OUT);
        run(1, WorkerPool.Order.FIFO, guests, 30);
        long fewest = guests.stream().mapToLong(Guest::slices).min().orElseThrow();
        assertThat(guests).allSatisfy(g -> assertThat(g.slices()).as("%s", g).isBetween(fewest, fewest + 1));
    }

    @Test
    void withOneWorkerEveryGuestRunsOnIt() throws Exception {
        List<Guest> guests = guests(2, TenantOptions.FLAT_OUT);
        run(1, guests, 10);
        assertThat(guests).allSatisfy(g -> assertThat(g.threadSwitches()).isZero());
    }

    @Test
    void aFailingGuestIsReportedAndStoppedWhileTheOthersGoOn() throws Exception {
        List<Guest> guests = guests(2, TenantOptions.FLAT_OUT);
        AtomicLong reads = new AtomicLong();
        Guest failing = new Guest(2, new LinearMemory(LinearMemory.PAGE_SIZE * 64), TenantOptions.FLAT_OUT, () -> {
            if (reads.incrementAndGet() > 100) {
                throw new IllegalStateException("boom");
            }
            return System.nanoTime();
        });
        List<Guest> all = new ArrayList<>(guests);
        all.add(failing);
        WorkerPool pool = new WorkerPool(2, err);
        pool.admit(all);
        pool.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> errBytes.toString(StandardCharsets.UTF_8).contains("boom"));
            long slices = guests.get(0).slices();
            await().atMost(Duration.ofSeconds(60)).until(() -> guests.get(0).slices() > slices + 10 && guests.get(1).slices() > slices + 10);
        } finally {
            pool.stop();
        }
        assertThat(errBytes.toString(StandardCharsets.UTF_8))
                .matches("tenantvm: guest 2 failed on tenant-worker-[01]: java.lang.IllegalStateException: boom; it is stopped, the others go on\\R");
    }
}
