package io.dirtylimit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.bridge.Bridge;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profiles the benchmarks use load, and their hooks reach the core from a thread named vcpu-0. */
class BundledProfilesTest {

    @Test
    void ringFullProfileCountsARingOfPagesPerCall(@TempDir Path dir) throws Exception {
        try (BenchAgent agent = BenchAgent.install(BenchProfiles.resolve("toyvm-ring-full", dir))) {
            int hook = agent.hookIndex("ring-full");
            onVcpuThread(() -> Bridge.ringFull(hook, Bridge.BY_THREAD));
            assertThat(agent.registered(0)).isTrue();
            assertThat(agent.pagesCounted(0)).isEqualTo(4096);
            assertThat(agent.faults()).isZero();
        }
        assertThat(Bridge.isIdle()).isTrue();
    }

    @Test
    void vcpuLoopProfileLearnsTheThread(@TempDir Path dir) throws Exception {
        try (BenchAgent agent = BenchAgent.install(BenchProfiles.resolve("toyvm-vcpu-loop", dir))) {
            int hook = agent.hookIndex("vcpu-loop");
            onVcpuThread(() -> Bridge.vcpuLoop(hook, Bridge.BY_THREAD));
            assertThat(agent.registered(0)).isTrue();
        }
    }

    @Test
    void storeProfileCountsAPageOnceUntilHarvested() throws Exception {
        try (BenchAgent agent = BenchAgent.install("toyvm-store")) {
            int hook = agent.hookIndex("store");
            onVcpuThread(() -> {
                for (long address = 0; address < 3 * 4096; address += 8) {
                    Bridge.store(hook, Bridge.BY_THREAD, address, 8);
                }
            });
            assertThat(agent.pagesCounted(0)).isEqualTo(3);
            assertThat(agent.harvestNow()).isEqualTo(3);
            onVcpuThread(() -> Bridge.store(hook, Bridge.BY_THREAD, 0, 8));
            assertThat(agent.pagesCounted(0)).isEqualTo(4);
        }
    }

    @Test
    void aThreadTheProfileDoesNotRecogniseReachesNoVcpu() {
        try (BenchAgent agent = BenchAgent.install("toyvm")) {
            Bridge.dirtyPage(agent.hookIndex("dirty-page"), Bridge.BY_THREAD, 1);
            assertThat(agent.registered(0)).isFalse();
        }
    }

    private static void onVcpuThread(Runnable body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, HookFastPathBenchmark.VCPU_THREAD);
        thread.start();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
    }
}
