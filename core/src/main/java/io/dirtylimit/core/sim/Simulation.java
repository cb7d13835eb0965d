package io.dirtylimit.core.sim;

import io.dirtylimit.core.DirtyLimiter;
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
 * the pages dirtied in it. Sleeping on virtual time is exact (no oversleep).
 *
 * <p>Fairness between policies: {@code qemu} runs as QEMU does, with ring-full throttle points only
 * (quantum 0). On virtual time its chunked sleep lasts exactly as long as QEMU's one uninterruptible
 * sleep, since nothing cancels the limit mid-run. The other policies get the core's quantum points.
 */
final class Simulation {
    private final Scenario scenario;
    private final String policy;
    private final VirtualTime time = new VirtualTime();
    private final List<SimVcpu> simVcpus = new ArrayList<>();
    private final PriorityQueue<SimVcpu> behindFirst = new PriorityQueue<>(Simulation::behindFirst);
    private DirtyLimiter limiter;

    private Simulation(Scenario scenario, String policy) {
        this.scenario = scenario;
        this.policy = policy;
    }

    /** Runs {@code scenario} under {@code policy} and returns what each vCPU did in each period. */
    static RunResult run(Scenario scenario, String policy) {
        return new Simulation(scenario, policy).run();
    }

    /** The quantum a policy is simulated with: QEMU's controller only has ring-full points. */
    static int quantumFor(String policy) {
        return "qemu".equals(policy) ? 0 : DirtyLimiter.DEFAULT_QUANTUM_PAGES;
    }

    private RunResult run() {
        try (DirtyLimiter built = buildLimiter()) {
            limiter = built;
            registerVcpus();
            runEvents();
        }
        return result();
    }

    private DirtyLimiter buildLimiter() {
        return DirtyLimiter.builder()
                .ticker(time)
                .sleeper(time)
                .period(Duration.ofNanos(scenario.periodNanos()))
                .policy(policy)
                .quantumPages(quantumFor(policy))
                .manualControl()
                .build();
    }

    private void registerVcpus() {
        for (int i = 0; i < scenario.vcpus().size(); i++) {
            SimVcpu vcpu = new SimVcpu(i, scenario.vcpus().get(i), limiter.registerVcpu(i), scenario);
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
        for (int i = 0; i < simVcpus.size(); i++) {
            limiter.setVcpuDirtyLimit(i, scenario.vcpus().get(i).limitMBps());
        }
    }

    /** Dirties pages from the vCPU's time up to at most {@code boundary}, and reports them. */
    private void step(SimVcpu vcpu, long boundary) {
        time.nowNanos = vcpu.nanos;
        time.sleeping = vcpu;
        double pagesPerNano = vcpu.pagesPerNanoAt(vcpu.nanos);
        long until = Math.min(boundary, vcpu.spec.profile().nextChangeAfter(vcpu.nanos));
        if (pagesPerNano <= 0) {
            vcpu.nanos = until;
            return;
        }
        double wanted = vcpu.pagesToReport() - vcpu.carryPages;
        long dirtyNanos = Math.max(1, (long) Math.ceil(wanted / pagesPerNano));
        long end = Math.min(vcpu.nanos + dirtyNanos, until);
        vcpu.carryPages += pagesPerNano * (end - vcpu.nanos);
        vcpu.nanos = end;
        time.nowNanos = end;
        int pages = (int) vcpu.carryPages;
        vcpu.carryPages -= pages;
        if (pages > 0) {
            vcpu.report(pages);
        }
        vcpu.nanos = time.nowNanos;
    }

    private RunResult result() {
        List<RunResult.VcpuRun> runs = new ArrayList<>();
        for (SimVcpu vcpu : simVcpus) {
            runs.add(vcpu.run());
        }
        return new RunResult(scenario, policy, runs);
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
        final Vcpu vcpu;
        final Scenario scenario;
        final double pagesPerNanoPerMBps;
        final long[] pagesPerPeriod;
        final long[] sleptNanosPerPeriod;
        long nanos;
        double carryPages;
        long pagesSinceRingFull;

        SimVcpu(int index, Scenario.VcpuSpec spec, Vcpu vcpu, Scenario scenario) {
            this.index = index;
            this.spec = spec;
            this.vcpu = vcpu;
            this.scenario = scenario;
            this.pagesPerNanoPerMBps = (1 << 20) / (double) DirtyLimiter.DEFAULT_PAGE_SIZE / 1e9;
            this.pagesPerPeriod = new long[scenario.periods()];
            this.sleptNanosPerPeriod = new long[scenario.periods()];
        }

        double pagesPerNanoAt(long t) {
            return spec.profile().mbPerSecAt(t) * pagesPerNanoPerMBps;
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
            double[] demand = new double[scenario.periods()];
            for (int k = 0; k < demand.length; k++) {
                long from = scenario.limitSetNanos() + k * scenario.periodNanos();
                demand[k] = spec.profile().averageMbPerSec(from, from + scenario.periodNanos());
            }
            return new RunResult.VcpuRun(index, spec.limitMBps(), pagesPerPeriod.clone(),
                    sleptNanosPerPeriod.clone(), demand);
        }
    }
}
