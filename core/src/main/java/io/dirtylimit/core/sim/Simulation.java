package io.dirtylimit.core.sim;

import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.GuardMode;
import io.dirtylimit.core.Sleeper;
import io.dirtylimit.core.Ticker;
import io.dirtylimit.core.Vcpu;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Runs a {@link Scenario} against the real limiter, controller and policy on virtual time.
 *
 * <p>A discrete-event loop. Every simulated vCPU has its own virtual time; the loop always advances
 * the one furthest behind, and runs the controller's period (or the setting of the limits) when
 * every vCPU has reached it. A vCPU step dirties pages at its profile's rate and reports them through
 * the real {@link Vcpu#pagesDirtied} (and {@link Vcpu#ringFull} when its ring fills); if the core
 * decides to sleep, the virtual {@link Sleeper} moves that vCPU's time forward instead of sleeping.
 * A step never crosses a period boundary or a change of the profile, so each period counts exactly
 * the pages dirtied in it. Sleeping on virtual time is exact (no oversleep). A vCPU that registers
 * late dirties nothing before; one with a page budget goes idle once it is spent.
 *
 * <p>Fairness between policies: {@code qemu} runs as QEMU does, with ring-full throttle points only
 * (quantum 0). On virtual time its chunked sleep lasts exactly as long as QEMU's one uninterruptible
 * sleep, since nothing cancels the limit mid-run. The other policies get the core's quantum points.
 * The limit guarantee follows the limiter's {@link GuardMode} (by default on for every policy but
 * {@code qemu} and {@code v9}).
 */
final class Simulation {
    private final Scenario scenario;
    private final String policy;
    private final GuardMode guard;
    private final VirtualTime time = new VirtualTime();
    private final List<SimVcpu> simVcpus = new ArrayList<>();
    private final PriorityQueue<SimVcpu> behindFirst = new PriorityQueue<>(Simulation::behindFirst);
    private DirtyLimiter limiter;

    private Simulation(Scenario scenario, String policy, GuardMode guard) {
        this.scenario = scenario;
        this.policy = policy;
        this.guard = guard;
    }

    /** Runs {@code scenario} under {@code policy}, the guarantee as by default, and returns what each vCPU did. */
    static RunResult run(Scenario scenario, String policy) {
        return run(scenario, policy, GuardMode.AUTO);
    }

    /** Runs {@code scenario} under {@code policy} with the guarantee in {@code guard} mode. */
    static RunResult run(Scenario scenario, String policy, GuardMode guard) {
        return new Simulation(scenario, policy, guard).run();
    }

    /** The quantum a policy is simulated with: QEMU's controller only has ring-full points. */
    static int quantumFor(String policy) {
        return "qemu".equals(policy) ? 0 : DirtyLimiter.DEFAULT_QUANTUM_PAGES;
    }

    private RunResult run() {
        boolean guarded;
        try (DirtyLimiter built = buildLimiter()) {
            limiter = built;
            guarded = limiter.isGuarded();
            createVcpus();
            runEvents();
        }
        return result(guarded);
    }

    private DirtyLimiter buildLimiter() {
        return DirtyLimiter.builder()
                .ticker(time)
                .sleeper(time)
                .period(Duration.ofNanos(scenario.periodNanos()))
                .policy(policy)
                .quantumPages(quantumFor(policy))
                .guard(guard)
                .manualControl()
                .build();
    }

    private void createVcpus() {
        for (int i = 0; i < scenario.vcpus().size(); i++) {
            SimVcpu vcpu = new SimVcpu(i, scenario.vcpus().get(i), scenario);
            vcpu.registerIfDue(limiter);
            simVcpus.add(vcpu);
            behindFirst.add(vcpu);
        }
    }

    private void runEvents() {
        long limitsAt = scenario.limitSetNanos();
        long nextPeriodEnd = limitsAt + scenario.periodNanos();
        boolean limitsSet = false;
        while (true) {
            long boundary = limitsSet ? nextPeriodEnd : limitsAt;
            SimVcpu behind = behindFirst.peek();
            if (behind.nanos < boundary) {
                behindFirst.poll();
                step(behind, boundary);
                behindFirst.add(behind);
                continue;
            }
            time.nowNanos = boundary;
            if (!limitsSet) {
                setLimits();
                limitsSet = true;
            } else {
                limiter.runControllerPeriod();
                if (nextPeriodEnd >= scenario.endNanos()) {
                    return;
                }
                nextPeriodEnd += scenario.periodNanos();
            }
        }
    }

    /** The vCPU furthest behind first; ties by index, so runs are deterministic. */
    private static int behindFirst(SimVcpu a, SimVcpu b) {
        return a.nanos != b.nanos ? Long.compare(a.nanos, b.nanos) : Integer.compare(a.index, b.index);
    }

    private void setLimits() {
        if (scenario.limitAll()) {
            limiter.setAllVcpuDirtyLimit(scenario.vcpus().get(0).limitMBps());
            return;
        }
        for (int i = 0; i < simVcpus.size(); i++) {
            limiter.setVcpuDirtyLimit(i, scenario.vcpus().get(i).limitMBps());
        }
    }

    /** Dirties pages from the vCPU's time up to at most {@code boundary}, and reports them. */
    private void step(SimVcpu vcpu, long boundary) {
        time.nowNanos = vcpu.nanos;
        time.sleeping = vcpu;
        vcpu.registerIfDue(limiter);
        long until = Math.min(boundary, vcpu.nextChangeAfter(vcpu.nanos));
        double pagesPerNano = vcpu.pagesPerNanoAt(vcpu.nanos);
        if (pagesPerNano <= 0) {
            vcpu.nanos = until;
            return;
        }
        double wanted = Math.min(vcpu.pagesToReport() - vcpu.carryPages, vcpu.budgetLeft());
        long dirtyNanos = Math.max(1, (long) Math.ceil(wanted / pagesPerNano));
        long end = Math.min(vcpu.nanos + dirtyNanos, until);
        vcpu.dirty(Math.min(pagesPerNano * (end - vcpu.nanos), vcpu.budgetLeft()), end);
        time.nowNanos = end;
        int pages = (int) (vcpu.carryPages + vcpu.roundingAllowance());
        vcpu.carryPages -= pages;
        if (pages > 0) {
            vcpu.report(pages);
        }
        vcpu.nanos = time.nowNanos;
    }

    private RunResult result(boolean guarded) {
        List<RunResult.VcpuRun> runs = new ArrayList<>();
        for (SimVcpu vcpu : simVcpus) {
            runs.add(vcpu.run());
        }
        return new RunResult(scenario, policy, guarded, runs);
    }

    /** The virtual clock and sleeper: sleeping moves the sleeping vCPU's time forward. */
    private static final class VirtualTime implements Ticker, Sleeper {
        long nowNanos;
        SimVcpu sleeping;

        @Override
        public long nanoTime() {
            return nowNanos;
        }

        @Override
        public void sleep(long nanos) {
            sleeping.recordSleep(nowNanos, nowNanos + nanos);
            nowNanos += nanos;
        }
    }

    /** One simulated vCPU: its profile, its time, and what it did per period. */
    private static final class SimVcpu {
        final int index;
        final Scenario.VcpuSpec spec;
        final Scenario scenario;
        final double pagesPerNanoPerMBps;
        final long[] pagesPerPeriod;
        final long[] sleptNanosPerPeriod;
        final DirtyTimeline timeline = new DirtyTimeline();
        Vcpu vcpu;
        long nanos;
        double carryPages;
        double dirtiedPages;
        long pagesSinceRingFull;

        SimVcpu(int index, Scenario.VcpuSpec spec, Scenario scenario) {
            this.index = index;
            this.spec = spec;
            this.scenario = scenario;
            this.pagesPerNanoPerMBps = (1 << 20) / (double) DirtyLimiter.DEFAULT_PAGE_SIZE / 1e9;
            this.pagesPerPeriod = new long[scenario.periods()];
            this.sleptNanosPerPeriod = new long[scenario.periods()];
        }

        /** Registers the vCPU once its time has come (its thread appears). */
        void registerIfDue(DirtyLimiter limiter) {
            if (vcpu == null && nanos >= spec.registerAtNanos()) {
                vcpu = limiter.registerVcpu(index);
            }
        }

        /** 0 before the vCPU registers and once its budget is spent. */
        double pagesPerNanoAt(long t) {
            if (vcpu == null || budgetLeft() <= 1e-9) {
                return 0;
            }
            return spec.profile().mbPerSecAt(t) * pagesPerNanoPerMBps;
        }

        long nextChangeAfter(long t) {
            long next = spec.profile().nextChangeAfter(t);
            return t < spec.registerAtNanos() ? Math.min(next, spec.registerAtNanos()) : next;
        }

        /** A budget's last page must not be lost to rounding; without a budget the carry rounds down. */
        double roundingAllowance() {
            return spec.pageBudget() > 0 ? 1e-9 : 0;
        }

        double budgetLeft() {
            return spec.pageBudget() > 0 ? spec.pageBudget() - dirtiedPages : Double.POSITIVE_INFINITY;
        }

        /** {@code pages} dirtied evenly from the vCPU's time to {@code end}. */
        void dirty(double pages, long end) {
            if (nanos >= spec.limitAppliesAtNanos(scenario)) {
                timeline.add(nanos, end, pages);
            }
            carryPages += pages;
            dirtiedPages += pages;
            nanos = end;
        }

        /**
         * Pages for the next report: no more than what fills the ring; with quantum points, also at
         * most a batch and no more than the quantum in effect (so points fall where the core wants
         * them). Without quantum points only the ring-full exit can throttle, so a vCPU may report
         * up to it at once: the same pages at the same times, in fewer steps.
         */
        int pagesToReport() {
            long pages = spec.ringPages() - pagesSinceRingFull;
            int quantum = vcpu.quantumPages();
            if (quantum > 0) {
                pages = Math.min(pages, Math.min(scenario.reportBatchPages(), quantum));
            }
            return (int) Math.max(1, pages);
        }

        void report(int pages) {
            count(pagesPerPeriod, nanos, pages);
            vcpu.pagesDirtied(pages);
            pagesSinceRingFull += pages;
            if (pagesSinceRingFull >= spec.ringPages()) {
                pagesSinceRingFull -= spec.ringPages();
                vcpu.ringFull();
            }
        }

        void recordSleep(long from, long to) {
            long first = scenario.limitSetNanos();
            for (long t = Math.max(from, first); t < to; ) {
                int period = (int) ((t - first) / scenario.periodNanos());
                if (period >= scenario.periods()) {
                    return;
                }
                long periodEnd = first + (period + 1) * scenario.periodNanos();
                long overlapEnd = Math.min(to, periodEnd);
                sleptNanosPerPeriod[period] += overlapEnd - t;
                t = overlapEnd;
            }
        }

        /** Pages reported at time {@code t} belong to the period ending at or after t. */
        private void count(long[] perPeriod, long t, long pages) {
            long sinceLimits = t - scenario.limitSetNanos();
            if (sinceLimits <= 0) {
                return;
            }
            int period = (int) ((sinceLimits - 1) / scenario.periodNanos());
            if (period < perPeriod.length) {
                perPeriod[period] += pages;
            }
        }

        RunResult.VcpuRun run() {
            IdealLimiter.Targets ideal = IdealLimiter.of(scenario, spec);
            return new RunResult.VcpuRun(index, spec.limitMBps(), pagesPerPeriod.clone(),
                    sleptNanosPerPeriod.clone(), ideal.demandMBps(), ideal.targetMBps(), ideal.neededSleepNanos(),
                    worstWindow());
        }

        /** The most pages in any window after the limit applied, over what the limit allows in it. */
        private double worstWindow() {
            long window = Math.min(Metrics.WINDOW_NANOS, scenario.endNanos() - spec.limitAppliesAtNanos(scenario));
            double allowed = spec.limitMBps() * pagesPerNanoPerMBps * window;
            double most = timeline.mostPagesInWindow(window, spec.limitAppliesAtNanos(scenario), scenario.endNanos());
            return most / allowed;
        }
    }
}
