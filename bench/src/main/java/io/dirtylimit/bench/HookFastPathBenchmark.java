package io.dirtylimit.bench;

import io.dirtylimit.bridge.Bridge;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each hook role's fast path with no limit set, with the agent's per-page hooks idle (as installed:
 * {@code counting=auto}) and counting ({@code counting=always}, what they cost while a limit, a calc
 * or a watched migration needs counts): exactly the call the advice inlines into a hooked
 * emulator method ({@code Bridge.ringFull/dirtyPage/store/vcpuLoop(hook, BY_THREAD, ...)}), with the
 * agent's real handler installed (dispatcher, vCPU directory, page tracker and harvester, core
 * limiter in prepared mode), called from a thread named {@code vcpu-0} as the profiles' thread-name
 * rule expects, with the hook number and {@code BY_THREAD} as constants, as the advice passes them. {@code baseline} computes the same changing argument and calls nothing: a role's
 * cost per hook call is its score minus the baseline's.
 *
 * <p>{@code fenced=false} is the usual throughput figure: the CPU overlaps one call's loads with the
 * next call's. {@code fenced=true} puts a full fence before each call, as the toy VM's store path
 * does (its Dekker protocol fences every guest store): then a call's chain of dependent loads is
 * paid in full latency, which is what the hooks cost inside the toy VM.
 *
 * <pre>java -jar bench/target/dirtylimit-bench.jar HookFastPathBenchmark</pre>
 *
 * A setup check fails the benchmark if the calls do not reach the core (thread not recognised,
 * wrong hook index), and a teardown check fails it if any call failed inside the agent, so the
 * figures cannot come from a path that returns early.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class HookFastPathBenchmark {
    /** Whether each call follows a full fence, as every guest store in the toy VM does. */
    @Param({"false", "true"})
    public boolean fenced;

    /**
     * The agent's {@code counting} option: {@code auto} is the agent as installed with no limit (the
     * per-page hooks idle until a limit, a calc or a watched migration needs counts); {@code always}
     * counts anyway, which is what every per-page hook call costs while counts are needed.
     */
    @Param({"auto", "always"})
    public String counting;

    static final String VCPU_THREAD = "vcpu-0";
    /** The copy workload's stores: one 8-byte word after another over 128 MiB (a page every 512 stores). */
    static final long COPY_REGION_MASK = (128L << 20) - 1;
    /** The seq workload's stores: one per 4 KiB page over 256 MiB. */
    static final long SEQ_REGION_MASK = (256L << 20) - 1;
    static final long PAGE = 4096;

    // The hook numbers the advice passes as constants: each profile's hook lines in order (checked at setup).
    static final int TOYVM_RING_FULL_HOOK = 0;
    static final int TOYVM_DIRTY_PAGE_HOOK = 1;
    static final int RING_ONLY_RING_FULL_HOOK = 0;
    static final int LOOP_VCPU_LOOP_HOOK = 0;
    static final int STORE_HOOK = 0;

    /** The agent's handler for one profile, on a thread renamed {@code vcpu-0} for the trial. */
    public abstract static class Installed {
        BenchAgent agent;
        boolean countAlways;
        private String savedName;

        void install(String profile, HookFastPathBenchmark bench) {
            savedName = Thread.currentThread().getName();
            Thread.currentThread().setName(VCPU_THREAD);
            countAlways = bench.counting.equals("always");
            agent = BenchAgent.install(BenchProfiles.resolve(profile, BenchProfiles.tempDir()), countAlways);
            if (agent.counting() != countAlways) {
                throw new IllegalStateException("counting=" + bench.counting + " but the agent's per-page hooks "
                        + (agent.counting() ? "count" : "idle"));
            }
        }

        /** The hook number of {@code role} in the profile, which must be {@code expected} (the constant the benchmark passes). */
        void requireHook(String role, int expected) {
            int actual = agent.hookIndex(role);
            if (actual != expected) {
                throw new IllegalStateException(role + " is hook " + actual + " of the profile, not " + expected);
            }
        }

        /** With counting=always, fails unless the calls counted some page. */
        void requirePagesCounted(String what) {
            if (countAlways && agent.pagesCounted(0) == 0) {
                throw new IllegalStateException(what + " calls counted no page");
            }
        }

        /**
         * Fails unless one hook call registered vCPU 0: the benchmark would measure an early return.
         * Idle per-page hooks register nobody (that early return is what counting=auto measures).
         */
        void requireVcpuRegistered(String what, boolean perPage) {
            if ((countAlways || !perPage) && !agent.registered(0)) {
                throw new IllegalStateException(what + " did not reach vCPU 0: thread '"
                        + Thread.currentThread().getName() + "' not recognised by the profile");
            }
        }

        void uninstall() {
            try {
                if (agent.faults() != 0) {
                    throw new IllegalStateException(agent.faults() + " hook call(s) failed inside the agent");
                }
            } finally {
                agent.close();
                Thread.currentThread().setName(savedName);
            }
        }
    }

    /** Built-in profile {@code toyvm}: ring-full (hook 0, no ring-size) and dirty-page (hook 1). */
    @State(Scope.Thread)
    public static class ToyVm extends Installed {
        long page;

        @Setup(Level.Trial)
        public void setUp(HookFastPathBenchmark bench) {
            install("toyvm", bench);
            requireHook("ring-full", TOYVM_RING_FULL_HOOK);
            requireHook("dirty-page", TOYVM_DIRTY_PAGE_HOOK);
            Bridge.ringFull(TOYVM_RING_FULL_HOOK, Bridge.BY_THREAD);
            requireVcpuRegistered("ring-full", false);
            Bridge.dirtyPage(TOYVM_DIRTY_PAGE_HOOK, Bridge.BY_THREAD, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            requirePagesCounted("dirty-page");
            uninstall();
        }
    }

    /** Bundled profile {@code toyvm-ring-full}: ring-full only, each call accounts for ring-size 4096 pages. */
    @State(Scope.Thread)
    public static class RingOnly extends Installed {
        @Setup(Level.Trial)
        public void setUp(HookFastPathBenchmark bench) {
            install("toyvm-ring-full", bench);
            requireHook("ring-full", RING_ONLY_RING_FULL_HOOK);
            Bridge.ringFull(RING_ONLY_RING_FULL_HOOK, Bridge.BY_THREAD);
            requireVcpuRegistered("ring-full", false);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            uninstall();
        }
    }

    /** Bundled profile {@code toyvm-vcpu-loop}: the vcpu-loop hook. */
    @State(Scope.Thread)
    public static class Loop extends Installed {
        @Setup(Level.Trial)
        public void setUp(HookFastPathBenchmark bench) {
            install("toyvm-vcpu-loop", bench);
            requireHook("vcpu-loop", LOOP_VCPU_LOOP_HOOK);
            Bridge.vcpuLoop(LOOP_VCPU_LOOP_HOOK, Bridge.BY_THREAD);
            requireVcpuRegistered("vcpu-loop", false);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            uninstall();
        }
    }

    /**
     * Built-in profile {@code toyvm-store}: the store hook on every 8-byte guest store, with the
     * agent's page tracker and its harvester (every second) running as in the real agent.
     */
    @State(Scope.Thread)
    public static class Store extends Installed {
        long address;

        @Setup(Level.Trial)
        public void setUp(HookFastPathBenchmark bench) {
            install("toyvm-store", bench);
            requireHook("store", STORE_HOOK);
            Bridge.store(STORE_HOOK, Bridge.BY_THREAD, 0, 8);
            requireVcpuRegistered("store", true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            requirePagesCounted("store");
            uninstall();
        }
    }

    /**
     * Like {@link Store}, but every store is the first write to its page since the last harvest:
     * the slow side of the store hook (mark the page, find the vCPU, count the page in the core).
     * Each iteration starts from a harvested tracker and walks fresh pages upward.
     */
    @State(Scope.Thread)
    public static class StoreFirstWrite extends Store {
        @Setup(Level.Iteration)
        public void freshPages() {
            agent.harvestNow();
            address = 0;
        }
    }

    /** A store hook whose address space is an object (one object, as one guest's memory in one slice). */
    public abstract static class ObjectSpaceStore extends Installed {
        long address;
        final Object memory = new Object();

        /** The bundled profile. */
        abstract String profile();

        @Setup(Level.Trial)
        public void setUp(HookFastPathBenchmark bench) {
            install(profile(), bench);
            requireHook("store", STORE_HOOK);
            Bridge.storeIn(STORE_HOOK, Bridge.BY_THREAD, memory, 0, 8);
            requireVcpuRegistered("store", true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            requirePagesCounted("store");
            uninstall();
        }
    }

    /**
     * Bundled profile {@code tenants-by-thread}: the store hook with an address space per object
     * ({@code space=this}), the pages counted for the calling thread's vCPU: each call also finds the
     * object's space (identity hash, a probe of the spaces' table) before its page.
     */
    @State(Scope.Thread)
    public static class StoreInSpace extends ObjectSpaceStore {
        @Override
        String profile() {
            return "tenants-by-thread";
        }
    }

    /**
     * Bundled profile {@code tenants-units}: the tenants example's hook, {@code vcpu-id space}: the
     * object's space is also the unit its pages count for (no thread lookup at all).
     */
    @State(Scope.Thread)
    public static class StoreInUnit extends ObjectSpaceStore {
        @Override
        String profile() {
            return "tenants-units";
        }
    }

    /** Like {@link StoreInUnit}, every store the first write to its page since the harvest. */
    @State(Scope.Thread)
    public static class StoreInUnitFirstWrite extends ObjectSpaceStore {
        @Override
        String profile() {
            return "tenants-units";
        }

        @Setup(Level.Iteration)
        public void freshPages() {
            agent.harvestNow();
            address = 0;
        }
    }

    /** No handler installed: what an inlined hook costs while the agent is not active (detached). */
    @State(Scope.Thread)
    public static class Idle {
        long page;

        @Setup(Level.Trial)
        public void setUp() {
            if (!Bridge.isIdle()) {
                throw new IllegalStateException("a bridge handler is installed");
            }
        }
    }

    /** The argument computation alone: subtract from the other scores. */
    @Benchmark
    public long baseline(Idle state) {
        fence();
        return ++state.page;
    }

    /** Hook role dirty-page (built-in toyvm): one call per page the toy VM newly dirtied. */
    @Benchmark
    public long dirtyPage(ToyVm state) {
        fence();
        long page = ++state.page;
        Bridge.dirtyPage(TOYVM_DIRTY_PAGE_HOOK, Bridge.BY_THREAD, page);
        return page;
    }

    /** Hook role ring-full (built-in toyvm, pages counted by the dirty-page hook): one call per ring-full exit. */
    @Benchmark
    public void ringFull(ToyVm state) {
        fence();
        Bridge.ringFull(TOYVM_RING_FULL_HOOK, Bridge.BY_THREAD);
    }

    /** Hook role ring-full with ring-size (toyvm-ring-full): the call also counts a ring of pages. */
    @Benchmark
    public void ringFullCountingRing(RingOnly state) {
        fence();
        Bridge.ringFull(RING_ONLY_RING_FULL_HOOK, Bridge.BY_THREAD);
    }

    /** Hook role store, the copy workload's pattern: 512 consecutive stores per page. */
    @Benchmark
    public long storeCopyPattern(Store state) {
        fence();
        long address = state.address = (state.address + 8) & COPY_REGION_MASK;
        Bridge.store(STORE_HOOK, Bridge.BY_THREAD, address, 8);
        return address;
    }

    /** Hook role store, the seq workload's pattern: one store per page over 256 MiB. */
    @Benchmark
    public long storeSeqPattern(Store state) {
        fence();
        long address = state.address = (state.address + PAGE) & SEQ_REGION_MASK;
        Bridge.store(STORE_HOOK, Bridge.BY_THREAD, address, 8);
        return address;
    }

    /** Hook role store, every store the first write to its page since the harvest. */
    @Benchmark
    public long storeFirstWrite(StoreFirstWrite state) {
        fence();
        long address = state.address += PAGE;
        Bridge.store(STORE_HOOK, Bridge.BY_THREAD, address, 8);
        return address;
    }

    /** Hook role store with space=this (tenants-by-thread), the copy workload's pattern: 512 stores per page. */
    @Benchmark
    public long storeInSpaceCopyPattern(StoreInSpace state) {
        fence();
        long address = state.address = (state.address + 8) & COPY_REGION_MASK;
        Bridge.storeIn(STORE_HOOK, Bridge.BY_THREAD, state.memory, address, 8);
        return address;
    }

    /** Hook role store with vcpu-id space (tenants-units), the copy workload's pattern. */
    @Benchmark
    public long storeInUnitCopyPattern(StoreInUnit state) {
        fence();
        long address = state.address = (state.address + 8) & COPY_REGION_MASK;
        Bridge.storeIn(STORE_HOOK, Bridge.BY_THREAD, state.memory, address, 8);
        return address;
    }

    /** Hook role store with vcpu-id space, the seq workload's pattern: one store per page over 256 MiB. */
    @Benchmark
    public long storeInUnitSeqPattern(StoreInUnit state) {
        fence();
        long address = state.address = (state.address + PAGE) & SEQ_REGION_MASK;
        Bridge.storeIn(STORE_HOOK, Bridge.BY_THREAD, state.memory, address, 8);
        return address;
    }

    /** Hook role store with vcpu-id space, every store the first write to its page (find space, mark, count in the core). */
    @Benchmark
    public long storeInUnitFirstWrite(StoreInUnitFirstWrite state) {
        fence();
        long address = state.address += PAGE;
        Bridge.storeIn(STORE_HOOK, Bridge.BY_THREAD, state.memory, address, 8);
        return address;
    }

    /** Hook role vcpu-loop: once per vCPU loop entry in the toy VM; the per-call cost for completeness. */
    @Benchmark
    public void vcpuLoop(Loop state) {
        fence();
        Bridge.vcpuLoop(LOOP_VCPU_LOOP_HOOK, Bridge.BY_THREAD);
    }

    /**
     * Anatomy: the lookup the dispatcher makes on every dirty-page, ring-full and vcpu-loop call and on
     * a store's first write to a page (ThreadIdentity.current(): a ThreadLocal holding a per-thread slot),
     * alone.
     */
    @Benchmark
    public Object threadLocalLookup(Anatomy state) {
        fence();
        Anatomy.Slot slot = state.slots.get();
        return slot.resolved ? slot.port : null;
    }

    /**
     * Anatomy: the same lookup as ThreadIdentity.current() makes it now, with the check that the
     * thread's name is still the one the answer was derived from (a renamed thread is derived again):
     * one more reference comparison, of Thread.currentThread().getName() with the slot's name.
     */
    @Benchmark
    public Object threadLocalLookupNameChecked(Anatomy state) {
        fence();
        Anatomy.Slot slot = state.slots.get();
        return slot.resolved && slot.name == Thread.currentThread().getName() ? slot.port : null;
    }

    /** A ThreadLocal slot like the agent's ThreadIdentity's. */
    @State(Scope.Thread)
    public static class Anatomy {
        static final class Slot {
            Object port = new Object();
            boolean resolved = true;
            final String name = Thread.currentThread().getName();
        }

        final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);
    }

    /** Any hook while no handler is installed: a volatile read and an empty virtual call. */
    @Benchmark
    public long idleBridge(Idle state) {
        fence();
        long page = ++state.page;
        Bridge.dirtyPage(0, Bridge.BY_THREAD, page);
        return page;
    }

    private void fence() {
        if (fenced) {
            VarHandle.fullFence();
        }
    }
}
