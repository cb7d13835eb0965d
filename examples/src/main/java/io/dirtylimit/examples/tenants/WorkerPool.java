package io.dirtylimit.examples.tenants;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * M worker threads, {@code tenant-worker-0} to {@code tenant-worker-M-1}, that run the guests in
 * time slices of at most {@link #SLICE_NANOS}. Each worker has a queue of guests, in the
 * {@link Order} chosen: by when their next slice is due, or first in first out (a guest taken
 * before it is due is waited for); after a slice, a guest goes to the NEXT worker's queue (round robin),
 * so with two workers or more no two consecutive slices of a guest run on the same thread, and a
 * thread's name says nothing about which guest it runs.
 *
 * <p>A guest whose slice throws is reported on stderr and not run again; the others go on.
 */
final class WorkerPool {
    static final long SLICE_NANOS = 2_000_000L;
    static final String THREAD_PREFIX = "tenant-worker-";

    /** How a worker's queue orders its guests. */
    enum Order {
        /** Earliest due first: a guest behind its schedule goes before one that is not. */
        DUE,
        /** In the order the guests were queued, each run no earlier than it is due. */
        FIFO
    }

    private final Order order;
    private final List<BlockingQueue<Ticket>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final PrintStream err;
    /** Written by the stopping thread, read by the workers. */
    private volatile boolean stopRequestedVolatile;

    /** A guest's place in a queue; one per guest, in one queue at a time. */
    private static final class Ticket implements Delayed {
        final Guest guest;
        /** System.nanoTime() when the slice is due; written only while the ticket is in no queue. */
        long dueNanos;

        Ticket(Guest guest, long dueNanos) {
            this.guest = guest;
            this.dueNanos = dueNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Ticket) other).dueNanos);
        }
    }

    WorkerPool(int threads, PrintStream err) {
        this(threads, Order.DUE, err);
    }

    WorkerPool(int threads, Order order, PrintStream err) {
        this.order = order;
        this.err = err;
        for (int k = 0; k < threads; k++) {
            queues.add(order == Order.DUE ? new DelayQueue<>() : new LinkedBlockingQueue<>());
        }
    }

    /** Queues the guests, guest g on worker g mod M, all due now; call before {@link #start}. */
    void admit(List<Guest> guests) {
        long now = System.nanoTime();
        for (Guest guest : guests) {
            queues.get(guest.index() % queues.size()).add(new Ticket(guest, now));
        }
    }

    void start() {
        for (int k = 0; k < queues.size(); k++) {
            int worker = k;
            Thread t = new Thread(() -> work(worker), THREAD_PREFIX + k);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void work(int worker) {
        BlockingQueue<Ticket> mine = queues.get(worker);
        BlockingQueue<Ticket> next = queues.get((worker + 1) % queues.size());
        while (!stopRequestedVolatile) {
            Ticket ticket;
            try {
                ticket = mine.take();
                waitUntilDue(ticket);
            } catch (InterruptedException e) {
                return;
            }
            if (runSlice(ticket)) {
                next.add(ticket);
            }
        }
    }

    /** A FIFO queue hands out guests not due yet: the worker waits for them (a DelayQueue never does). */
    private void waitUntilDue(Ticket ticket) throws InterruptedException {
        long wait;
        while (order == Order.FIFO && (wait = ticket.dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** False when the guest failed and leaves the pool. */
    private boolean runSlice(Ticket ticket) {
        try {
            ticket.dueNanos = ticket.guest.runSlice(System.nanoTime() + SLICE_NANOS);
            return true;
        } catch (RuntimeException | Error e) {
            err.println("tenantvm: " + ticket.guest + " failed on " + Thread.currentThread().getName() + ": " + e + "; it is stopped, the others go on");
            err.flush();
            return false;
        }
    }

    /** Stops the workers after their current slice and waits for them. */
    void stop() throws InterruptedException {
        stopRequestedVolatile = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    List<Thread> threads() {
        return List.copyOf(threads);
    }
}
