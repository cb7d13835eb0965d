package io.dirtylimit.examples.tenants;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The runtime: the guests and their memories, the worker pool, the harvester, and quitting. */
final class TenantRuntime {
    private final TenantOptions options;
    private final List<Guest> guests;
    private final WorkerPool pool;
    private final Harvester harvester;
    private final CountDownLatch quit = new CountDownLatch(1);

    /** {@code sink} gets each second's samples; the runtime quits after {@code --seconds} of them. */
    TenantRuntime(TenantOptions options, Harvester.Sink sink, PrintStream err) {
        this.options = options;
        List<Guest> list = new ArrayList<>();
        for (int g = 0; g < options.guests(); g++) {
            list.add(new Guest(g, new LinearMemory(options.guestMem()), options.rateMbps(), System::nanoTime));
        }
        this.guests = List.copyOf(list);
        this.pool = new WorkerPool(options.threads(), options.order(), err);
        this.harvester = new Harvester(guests, System::nanoTime, (second, samples) -> {
            sink.second(second, samples);
            if (options.seconds() > 0 && second >= options.seconds()) {
                quit.countDown();
            }
        });
    }

    void start() {
        pool.admit(guests);
        pool.start();
        harvester.start();
    }

    void requestQuit() {
        quit.countDown();
    }

    void awaitQuit() throws InterruptedException {
        quit.await();
    }

    void shutdown() throws InterruptedException {
        quit.countDown();
        pool.stop();
        harvester.stop();
    }

    List<Guest> guests() {
        return guests;
    }

    List<Thread> workers() {
        return pool.threads();
    }

    TenantOptions options() {
        return options;
    }
}
