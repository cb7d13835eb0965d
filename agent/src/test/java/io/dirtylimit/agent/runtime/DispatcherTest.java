package io.dirtylimit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.ProfileException;
import io.dirtylimit.agent.profile.ProfileParser;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The dispatcher with a fake throttle: identity rules, page accounting (pending limits: control.LimitServiceTest). */
class DispatcherTest {
    private final FakeThrottle throttle = new FakeThrottle();

    private Dispatcher dispatcher(String profile) throws ProfileException {
        Profile parsed = ProfileParser.parse("test", profile);
        return new Dispatcher(parsed, new VcpuDirectory(throttle, parsed.maxVcpus()));
    }

    private static void onThread(String name, Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
        thread.start();
        thread.join();
        assertThat(failure.get()).isNull();
    }

    /** A thread that stays alive (and keeps its identity) until closed, running what it is given. */
    static final class LiveThread implements AutoCloseable {
        private final java.util.concurrent.BlockingQueue<Runnable> work = new java.util.concurrent.LinkedBlockingQueue<>();
        private final Thread thread;
        private volatile Throwable failure;

        LiveThread(String name) {
            thread = new Thread(() -> {
                try {
                    while (true) {
                        Runnable next = work.take();
                        if (next == STOP) {
                            return;
                        }
                        next.run();
                    }
                } catch (Throwable t) {
                    failure = t;
                }
            }, name);
            thread.start();
        }

        private static final Runnable STOP = () -> { };

        /** Runs {@code body} on the thread and waits for it. */
        void run(Runnable body) throws InterruptedException {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            work.add(() -> {
                try {
                    body.run();
                } finally {
                    done.countDown();
                }
            });
            assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(failure).isNull();
        }

        Thread thread() {
            return thread;
        }

        @Override
        public void close() {
            work.add(STOP);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void threadNamesTellTheVcpuAndOtherThreadsAreIgnored() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id thread-name "vcpu-(\\d+)"
                ring-full  class a.Vcpu full()
                dirty-page class a.Vcpu dirtied(long) page=arg0
                """);
        onThread("vcpu-1", () -> {
            dispatcher.dirtyPage(1, -1, 10);
            dispatcher.dirtyPage(1, -1, 10);
            dispatcher.ringFull(0, -1);
        });
        onThread("main-loop", () -> dispatcher.dirtyPage(1, -1, 11));
        onThread("vcpu-x", () -> dispatcher.dirtyPage(1, -1, 12));

        assertThat(throttle.ports.keySet()).containsExactly(1);
        assertThat(throttle.pages(1)).isEqualTo(2);
        assertThat(throttle.ringFulls(1)).isEqualTo(1);
    }

    @Test
    void ringSizeCountsPagesAtEachRingFull() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id per-hook
                ring-size 512
                ring-full class a.Vcpu full() vcpu=this.index
                """);
        dispatcher.ringFull(0, 3);
        dispatcher.ringFull(0, 3);
        assertThat(throttle.pages(3)).isEqualTo(1024);
        assertThat(throttle.ringFulls(3)).isEqualTo(2);
    }

    @Test
    void storesCountTheirNewPagesOnceUntilTheHarvest() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id thread-name "cpu#(\\d+) worker"
                store implementations-of a.Bus write(long, byte[], int, int) address=arg0 size=arg3
                """);
        onThread("cpu#0 worker", () -> {
            dispatcher.store(0, -1, 0, 8);
            dispatcher.store(0, -1, 8, 8);
            dispatcher.store(0, -1, 4090, 10);
            dispatcher.store(0, -1, 3 * 4096, 3 * 4096);
            dispatcher.store(0, -1, 100, 0);
        });
        onThread("cpu#1 worker", () -> dispatcher.store(0, -1, 4096, 8));
        assertThat(throttle.pages(0)).isEqualTo(5);
        assertThat(throttle.pages(1)).isEqualTo(-1);

        dispatcher.harvest();
        onThread("cpu#1 worker", () -> dispatcher.store(0, -1, 4096, 8));
        assertThat(throttle.pages(1)).isEqualTo(1);
    }

    @Test
    void aNonVcpuThreadDoesNotMarkPagesForTheVcpus() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id thread-name "vcpu-(\\d+)"
                store class a.Mem write64(long, long) address=arg0 size=8
                """);
        onThread("loader", () -> dispatcher.store(0, -1, 0, 8));
        onThread("vcpu-0", () -> dispatcher.store(0, -1, 0, 8));
        assertThat(throttle.pages(0)).isEqualTo(1);
    }

    @Test
    void dedupedDirtyPagesByAddress() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id per-hook
                dirty-page class a.Log logged(int, long) address=arg1 vcpu=arg0 dedupe=yes
                """);
        dispatcher.dirtyPage(0, 2, 4096);
        dispatcher.dirtyPage(0, 2, 4100);
        dispatcher.dirtyPage(0, 2, 8192);
        assertThat(throttle.pages(2)).isEqualTo(2);
    }

    @Test
    void firstDirtyNumbersThreadsInTheOrderTheyDirtyMemory() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id first-dirty "worker-.*"
                dirty-page class a.Vcpu dirtied(long) page=arg0
                """);
        try (LiveThread b = new LiveThread("worker-b"); LiveThread a = new LiveThread("worker-a")) {
            b.run(() -> dispatcher.dirtyPage(0, -1, 1));
            a.run(() -> {
                dispatcher.dirtyPage(0, -1, 2);
                dispatcher.dirtyPage(0, -1, 3);
            });
            onThread("gc-helper", () -> dispatcher.dirtyPage(0, -1, 4));
        }
        assertThat(throttle.pages(0)).isEqualTo(1);
        assertThat(throttle.pages(1)).isEqualTo(2);
        assertThat(throttle.ports).hasSize(2);
    }

    @Test
    void aHookThatReadsTheIndexTeachesItToOtherHooksOnTheSameThread() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id field index
                vcpu-loop class a.Vcpu run()
                store class a.Mem write64(long, long) address=arg0 size=8 vcpu=thread
                """);
        onThread("anything", () -> {
            dispatcher.store(1, -1, 0, 8);
            dispatcher.vcpuLoop(0, 4);
            dispatcher.store(1, -1, 8192, 8);
        });
        assertThat(throttle.pages(4)).isEqualTo(1);
    }

    @Test
    void indexesBeyondMaxVcpusAreRefused() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id per-hook
                max-vcpus 4
                ring-size 1
                ring-full class a.Vcpu full(int) vcpu=arg0
                """);
        dispatcher.ringFull(0, 4);
        dispatcher.ringFull(0, 3);
        assertThat(throttle.ports.keySet()).containsExactly(3);
    }

    @Test
    void faultsAreCountedPerHook() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id thread-name "vcpu-(\\d+)"
                dirty-page class a.Vcpu dirtied(long) page=arg0
                """);
        dispatcher.fault(0, new IllegalStateException("one"));
        dispatcher.fault(0, new IllegalStateException("two"));
        dispatcher.fault(-1, new NullPointerException());
        assertThat(dispatcher.faults().total()).isEqualTo(3);
        assertThat(dispatcher.faults().describe()).containsExactly(
                "inlined advice: 1 suppressed, first: java.lang.NullPointerException",
                "hook 0 (dirty-page class a.Vcpu dirtied(long)): 2 suppressed, first: java.lang.IllegalStateException: one");
    }
}
