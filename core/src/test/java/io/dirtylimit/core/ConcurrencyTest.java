package io.dirtylimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * vCPU threads report pages while another thread runs control periods as fast as it can: every
 * page reported is counted by exactly one period.
 */
class ConcurrencyTest {

    @Test
    void noDirtiedPageIsLostBetweenVcpuThreadsAndTheController() throws InterruptedException {
        int vcpus = 4;
        try (DirtyLimiter limiter = DirtyLimiter.builder()
                .manualControl()
                .addPolicy("tiny", () -> new FakeTime.FixedSleep(0))
                .policy("tiny")
                .quantumPages(16)
                .guard(GuardMode.OFF) // counting is under test, not pacing: 64 GB at 50 MB/s would take minutes
                .build()) {
            List<Vcpu> registered = new ArrayList<>();
            for (int i = 0; i < vcpus; i++) {
                registered.add(limiter.registerVcpu(i));
            }
            limiter.setVcpuDirtyLimit(0, 1000); // vCPU 0 takes the limited path, the others the free one
            limiter.setVcpuDirtyLimit(2, 50);
            long[] reported = new long[vcpus];
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < vcpus; i++) {
                int index = i;
                threads.add(new Thread(() -> reported[index] = dirtyRandomly(registered.get(index), index)));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            Thread controller = new Thread(() -> {
                while (running.get()) {
                    limiter.runControllerPeriod();
                }
            });
            controller.start();
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            running.set(false);
            controller.join();
            limiter.runControllerPeriod();

            for (int i = 0; i < vcpus; i++) {
                assertThat(limiter.sampledPages(i)).as("vCPU %d", i).isEqualTo(reported[i]);
                assertThat(registered.get(i).pagesDirtiedTotal()).isEqualTo(reported[i]);
            }
            assertThat(limiter.queryVcpuDirtyLimit().get(0).throttlePoints()).isPositive();
        }
    }

    private static long dirtyRandomly(Vcpu vcpu, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long total = 0;
        for (int i = 0; i < 500_000; i++) {
            int pages = random.nextInt(1, 64);
            vcpu.pagesDirtied(pages);
            total += pages;
            if (i % 1000 == 0) {
                vcpu.ringFull();
            }
        }
        return total;
    }
}
