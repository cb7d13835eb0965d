package io.dirtylimit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.ProfileException;
import io.dirtylimit.agent.profile.ProfileParser;
import io.dirtylimit.agent.runtime.DispatcherTest.LiveThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * The code review's identity cases, each as it was reproduced: a thread that reaches a hook before it
 * is renamed, a pooled thread renamed from one vCPU to another, two threads feeding one vCPU, and
 * recreated first-dirty threads.
 */
class IdentityRegressionTest {
    private final FakeThrottle fake = new FakeThrottle();

    private Dispatcher dispatcher(String profile, Throttle throttle) throws ProfileException {
        Profile parsed = ProfileParser.parse("test", profile);
        return new Dispatcher(parsed, new VcpuDirectory(throttle, parsed.maxVcpus()));
    }

    private static final String BY_NAME = """
            vcpu-id thread-name "vcpu-(\\d+)"
            store class a.Mem write(long, long) address=arg0 size=8
            """;

    @Test
    void aThreadRenamedAfterItsFirstHookIsItsNewVcpu() throws Exception {
        Dispatcher dispatcher = dispatcher(BY_NAME, fake);
        try (LiveThread pooled = new LiveThread("pool-1-thread-1")) {
            pooled.run(() -> dispatcher.store(0, -1, 0, 8));
            assertThat(fake.ports).as("not a vCPU yet").isEmpty();
            pooled.run(() -> {
                Thread.currentThread().setName("vcpu-2");
                dispatcher.store(0, -1, 4096, 8);
            });
        }
        assertThat(fake.pages(2)).isEqualTo(1);
    }

    @Test
    void aThreadRenamedFromOneVcpuToAnotherFeedsTheNewOne() throws Exception {
        Dispatcher dispatcher = dispatcher(BY_NAME, fake);
        try (LiveThread pooled = new LiveThread("vcpu-0")) {
            pooled.run(() -> dispatcher.store(0, -1, 0, 8));
            pooled.run(() -> {
                Thread.currentThread().setName("vcpu-1");
                dispatcher.store(0, -1, 4096, 8);
                dispatcher.store(0, -1, 8192, 8);
            });
            pooled.run(() -> {
                Thread.currentThread().setName("helper");
                dispatcher.store(0, -1, 3 * 4096, 8);
            });
        }
        assertThat(fake.pages(0)).isEqualTo(1);
        assertThat(fake.pages(1)).isEqualTo(2);
    }

    /** The review lost 3 of 10 million pages with two writers on one vCPU; through the agent none is lost. */
    @Test
    void twoThreadsFeedingOneVcpuLoseNoPageWithOrWithoutALimit() throws Exception {
        Profile parsed = ProfileParser.parse("test", BY_NAME);
        try (CoreThrottle core = CoreThrottle.create(parsed, null, null, null, null)) {
            Dispatcher dispatcher = new Dispatcher(parsed, new VcpuDirectory(core, parsed.maxVcpus()));
            int pagesEach = 500_000;
            runWriters(dispatcher, 2, pagesEach, 0);
            assertThat(core.pagesDirtied(0)).isEqualTo(2L * pagesEach);

            core.setLimit(0, 10_000_000);
            dispatcher.harvest();
            runWriters(dispatcher, 2, pagesEach, 2L * pagesEach);
            assertThat(core.pagesDirtied(0)).isEqualTo(4L * pagesEach);
            assertThat(core.query()).singleElement().satisfies(row -> assertThat(row.throttlePoints()).isPositive());
        }
    }

    /** {@code threads} threads named vcpu-0 each store one word in each of their own {@code pages} pages. */
    private static void runWriters(Dispatcher dispatcher, int threads, int pages, long firstPage) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = firstPage + (long) t * pages;
            Thread writer = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (long page = base; page < base + pages; page++) {
                    dispatcher.store(0, -1, page << 12, 8);
                }
            }, "vcpu-0");
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    @Test
    void aRecreatedFirstDirtyThreadTakesTheLowestFreeIndex() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id first-dirty "cpu-.*"
                dirty-page class a.Vcpu dirtied(long) page=arg0
                """, fake);
        LiveThread zero = new LiveThread("cpu-a");
        LiveThread one = new LiveThread("cpu-b");
        LiveThread two = new LiveThread("cpu-c");
        zero.run(() -> dispatcher.dirtyPage(0, -1, 1));
        one.run(() -> dispatcher.dirtyPage(0, -1, 2));
        two.run(() -> dispatcher.dirtyPage(0, -1, 3));
        assertThat(fake.pages(0)).isEqualTo(1);
        assertThat(fake.pages(1)).isEqualTo(1);
        assertThat(fake.pages(2)).isEqualTo(1);

        one.close();
        zero.close();
        try (LiveThread replug = new LiveThread("cpu-b"); LiveThread second = new LiveThread("cpu-d");
             LiveThread third = new LiveThread("cpu-e")) {
            replug.run(() -> dispatcher.dirtyPage(0, -1, 4));
            second.run(() -> dispatcher.dirtyPage(0, -1, 5));
            third.run(() -> dispatcher.dirtyPage(0, -1, 6));
            two.run(() -> dispatcher.dirtyPage(0, -1, 7));
        }
        assertThat(fake.pages(0)).as("index 0 taken again first").isEqualTo(2);
        assertThat(fake.pages(1)).isEqualTo(2);
        assertThat(fake.pages(2)).as("still the live thread's").isEqualTo(2);
        assertThat(fake.pages(3)).isEqualTo(1);
        two.close();
    }

    @Test
    void aFirstDirtyThreadRenamedOutOfTheFilterGivesItsIndexBack() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id first-dirty "cpu-.*"
                dirty-page class a.Vcpu dirtied(long) page=arg0
                """, fake);
        try (LiveThread worker = new LiveThread("cpu-a"); LiveThread other = new LiveThread("cpu-b")) {
            worker.run(() -> dispatcher.dirtyPage(0, -1, 1));
            worker.run(() -> {
                Thread.currentThread().setName("idle-worker");
                dispatcher.dirtyPage(0, -1, 2);
            });
            other.run(() -> dispatcher.dirtyPage(0, -1, 3));
        }
        assertThat(fake.pages(0)).isEqualTo(2);
        assertThat(fake.ports).hasSize(1);
    }
}
