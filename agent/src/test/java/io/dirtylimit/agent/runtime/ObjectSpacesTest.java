package io.dirtylimit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.ProfileException;
import io.dirtylimit.agent.profile.ProfileParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Address spaces that are objects: per-object first writes, units by space (vcpu-id space), weak keys. */
class ObjectSpacesTest {
    private final FakeThrottle throttle = new FakeThrottle();
    private VcpuDirectory directory;

    private Dispatcher dispatcher(String profile) throws ProfileException {
        Profile parsed = ProfileParser.parse("test", profile);
        directory = new VcpuDirectory(throttle, parsed.maxVcpus());
        return new Dispatcher(parsed, directory);
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

    /** A guest memory object of a pretend runtime. */
    static final class Memory {
    }

    @Test
    void twoObjectsAtTheSameAddressesEachCountTheirOwnFirstWrites() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id thread-name "cpu#(\\d+) worker"
                store class a.Ram write(long, byte[], int, int) address=arg0 size=arg3 space=this
                """);
        Memory first = new Memory();
        Memory second = new Memory();
        onThread("cpu#0 worker", () -> {
            dispatcher.storeIn(0, -1, first, 0, 4096 * 3);
            dispatcher.storeIn(0, -1, first, 4096, 8);
        });
        onThread("cpu#1 worker", () -> {
            dispatcher.storeIn(0, -1, second, 0, 4096 * 3);
            dispatcher.storeIn(0, -1, second, 8192, 16);
        });
        assertThat(throttle.pages(0)).isEqualTo(3);
        assertThat(throttle.pages(1)).as("the same guest addresses in another object are new pages").isEqualTo(3);
        assertThat(dispatcher.objectSpaces().size()).isEqualTo(2);

        assertThat(dispatcher.harvest()).isEqualTo(6);
        onThread("cpu#1 worker", () -> dispatcher.storeIn(0, -1, first, 0, 1));
        assertThat(throttle.pages(1)).isEqualTo(4);
    }

    @Test
    void namedAndObjectSpacesLiveSideBySide() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id thread-name "vcpu-(\\d+)"
                store class a.Bus write(long, long) address=arg0 size=8 space=bus
                store class a.Ram write(long, long) address=arg0 size=8 space=this
                dirty-page class a.Log logged(a.Ram, long) page=arg1 dedupe=yes space=arg0
                """);
        Memory ram = new Memory();
        onThread("vcpu-0", () -> {
            dispatcher.store(0, -1, 0, 8);
            dispatcher.storeIn(1, -1, ram, 0, 8);
            dispatcher.dirtyPageIn(2, -1, ram, 0);
            dispatcher.dirtyPageIn(2, -1, ram, 1);
            dispatcher.storeIn(1, -1, null, 0, 8);
        });
        assertThat(throttle.pages(0)).as("bus page 0, ram page 0 (once for both hooks), ram page 1").isEqualTo(3);
        assertThat(dispatcher.trackers()).extracting(PageTracker::name).containsExactly("bus");
    }

    @Test
    void eachSpaceIsAUnitNumberedInTheOrderOfItsFirstWriteWhicheverThreadWritesIt() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id space
                store class a.Mem write(int, byte[], int, int) address=arg0 size=arg3 space=this
                dirty-page class a.Mem touched(long) page=arg0 space=this
                """);
        Memory a = new Memory();
        Memory b = new Memory();
        onThread("tenant-worker-0", () -> {
            dispatcher.storeIn(0, -1, b, 0, 4096);
            dispatcher.storeIn(0, -1, a, 0, 8192);
        });
        onThread("tenant-worker-1", () -> {
            dispatcher.storeIn(0, -1, a, 8192, 4096);
            dispatcher.storeIn(0, -1, b, 0, 4096);
            dispatcher.dirtyPageIn(1, -1, b, 77);
        });
        assertThat(throttle.pages(0)).as("b: one page stored, one reported").isEqualTo(2);
        assertThat(throttle.pages(1)).as("a: three pages, from two threads").isEqualTo(3);
        assertThat(directory.label(0)).isEqualTo(new UnitLabel(Memory.class.getName(), System.identityHashCode(b), null));
        assertThat(directory.label(1).describe()).isEqualTo("ObjectSpacesTest$Memory@" + Integer.toHexString(System.identityHashCode(a)));
    }

    @Test
    void aCollectedSpaceIsDroppedAtTheHarvestAndItsUnitIndexIsTakenByTheNextNewObject() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id space
                store class a.Mem write(long, long) address=arg0 size=8 space=this
                """);
        Memory kept = new Memory();
        writeOnce(dispatcher, new Memory());
        dispatcher.storeIn(0, -1, kept, 0, 8);
        assertThat(directory.label(0)).isNotNull();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            dispatcher.harvest();
            return dispatcher.objectSpaces().dropped() == 1;
        });
        assertThat(dispatcher.objectSpaces().size()).isEqualTo(1);
        assertThat(directory.label(0)).as("index 0 is free").isNull();

        Memory next = new Memory();
        dispatcher.storeIn(0, -1, next, 0, 8);
        dispatcher.storeIn(0, -1, new Memory(), 0, 8);
        assertThat(directory.label(0).identityHash()).isEqualTo(System.identityHashCode(next));
        assertThat(directory.label(2)).isNotNull();
        assertThat(throttle.pages(0)).as("the old object's page and the new one's").isEqualTo(2);
        assertThat(throttle.pages(1)).isEqualTo(1);
    }

    /** In its own frame, so no local keeps the object alive. */
    private static void writeOnce(Dispatcher dispatcher, Memory memory) {
        dispatcher.storeIn(0, -1, memory, 0, 8);
    }

    @Test
    void unitsBeyondMaxVcpusTrackPagesButCountNothing() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id space
                max-vcpus 2
                store class a.Mem write(long, long) address=arg0 size=8 space=this
                """);
        List<Memory> memories = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            memories.add(new Memory());
            dispatcher.storeIn(0, -1, memories.get(i), 0, 8);
        }
        assertThat(throttle.ports.keySet()).containsExactlyInAnyOrder(0, 1);
        assertThat(dispatcher.objectSpaces().size()).isEqualTo(3);
    }

    @Test
    void racingWritersOfOneObjectCountEachPageOnce() throws Exception {
        Dispatcher dispatcher = dispatcher("""
                vcpu-id space
                store class a.Mem write(long, long) address=arg0 size=8 space=this
                """);
        Memory shared = new Memory();
        int threads = 4;
        int pages = 50_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (long page = 0; page < pages; page++) {
                    dispatcher.storeIn(0, -1, shared, page << 12, 8);
                }
            });
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(throttle.pages(0)).isEqualTo(pages);
    }
}
