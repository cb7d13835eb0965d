package io.dirtylimit.bench;

import io.dirtylimit.agent.runtime.Dispatcher;
import io.dirtylimit.bridge.Bridge;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's heap for many address spaces that are objects ({@code space=this}): N memory objects,
 * each with P pages touched, through the agent's real dispatcher (a store hook call per page, as the
 * bridge makes it), measured as the growth of the used heap after full collections, with the memory
 * objects themselves allocated before the baseline (they are the emulator's, not the agent's).
 *
 * <pre>
 * java -cp bench/target/dirtylimit-bench.jar io.dirtylimit.bench.SpaceMemory [--spaces N] [--repeat R]
 * </pre>
 *
 * Cases: N spaces of 256 MiB with every page touched (goal: under 16 MiB for 1,000), and N spaces with
 * 100 pages touched each (goal: under 2 MiB), each with pages counted for a thread's vCPU
 * ({@code tenants-by-thread}: page tracking alone) and with each space a throttled unit
 * ({@code tenants-units}: page tracking plus one core vCPU per space). Run with a fixed heap, e.g.
 * {@code -Xms1g -Xmx1g}, so the collector does not resize it between readings. Exit status 0 when the
 * tracking cases meet their goals, 1 otherwise.
 */
public final class SpaceMemory {
    private static final long MIB = 1L << 20;
    private static final int PAGE = 4096;

    private SpaceMemory() {}

    /** One measured case. */
    record Case(String name, String profile, int pagesPerSpace, double goalMib) {}

    public static void main(String[] args) throws Exception {
        int spaces = 1000;
        int repeat = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--spaces" -> spaces = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: SpaceMemory [--spaces N] [--repeat R]");
                    System.exit(2);
                }
            }
        }
        List<Case> cases = List.of(
                new Case("256 MiB touched, tracking", "tenants-by-thread", (int) (256 * MIB / PAGE), 16),
                new Case("100 pages touched, tracking", "tenants-by-thread", 100, 2),
                new Case("256 MiB touched, units", "tenants-units", (int) (256 * MIB / PAGE), 0),
                new Case("100 pages touched, units", "tenants-units", 100, 0));
        System.out.printf(Locale.ROOT, "%d spaces, JVM %s, max heap %d MiB, %s%n", spaces, System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / MIB, ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.printf(Locale.ROOT, "%-30s %12s %14s %10s %8s%n", "case", "agent MiB", "bytes/space", "goal MiB", "result");
        boolean allMet = true;
        for (Case c : cases) {
            double best = Double.MAX_VALUE;
            for (int r = 0; r < repeat; r++) {
                best = Math.min(best, measure(c, spaces));
            }
            boolean met = c.goalMib() == 0 || best < c.goalMib() * spaces / 1000.0;
            allMet &= met;
            System.out.printf(Locale.ROOT, "%-30s %12.2f %14.0f %10s %8s%n", c.name(), best, best * MIB / spaces,
                    c.goalMib() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", c.goalMib() * spaces / 1000.0),
                    c.goalMib() == 0 ? "(info)" : met ? "MET" : "MISSED");
        }
        System.exit(allMet ? 0 : 1);
    }

    /** The agent's heap growth, MiB, for {@code spaces} objects with the case's pages each. */
    private static double measure(Case c, int spaces) throws Exception {
        String profile = BenchProfiles.resolve(c.profile(), BenchProfiles.tempDir());
        List<Object> memories = new ArrayList<>(spaces);
        for (int s = 0; s < spaces; s++) {
            memories.add(new Object());
        }
        AtomicReference<Double> grown = new AtomicReference<>();
        try (BenchAgent agent = BenchAgent.install(profile, true)) {
            Dispatcher dispatcher = agent.dispatcher();
            int hook = agent.hookIndex("store");
            onVcpuThread(() -> Bridge.storeIn(hook, Bridge.BY_THREAD, new Object(), 0, 8));
            long before = settledUsedHeap();
            onVcpuThread(() -> {
                for (Object memory : memories) {
                    for (long page = 0; page < c.pagesPerSpace(); page++) {
                        dispatcher.storeIn(hook, Bridge.BY_THREAD, memory, page * PAGE, 8);
                    }
                }
            });
            long after = settledUsedHeap();
            if (agent.objectSpaces() < spaces) {
                throw new IllegalStateException("only " + agent.objectSpaces() + " spaces were made");
            }
            if (agent.faults() != 0) {
                throw new IllegalStateException(agent.faults() + " hook call(s) failed");
            }
            grown.set((after - before) / (double) MIB);
            Reference.reachabilityFence(memories); // the memories stay reachable until after the reading
        }
        return grown.get();
    }

    /** Used heap after full collections, once two readings in a row agree within 64 KiB. */
    private static long settledUsedHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = -1;
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(50);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (last >= 0 && Math.abs(used - last) < 64 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }

    /** Runs {@code body} on a thread named {@code vcpu-0}, the profiles' vCPU 0. */
    private static void onVcpuThread(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "vcpu-0");
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
    }
}
