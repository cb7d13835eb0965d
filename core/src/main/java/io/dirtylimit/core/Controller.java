package io.dirtylimit.core;

/**
 * One control period for every vCPU: measure its dirty rate, and for a limited vCPU ask the policy
 * for the next sleep and publish it; a vCPU under the limit guarantee is paced by its own clock, so
 * for it the period only records the sleep per point it actually took. Called under the limiter's
 * control lock, from the controller thread or, in manual control, from whoever steps the limiter.
 */
final class Controller {
    /** Pages per throttle point assumed before a vCPU's ring was seen to fill (KVM's usual ring). */
    static final long DEFAULT_RING_PAGES = 4096;


    private final Ticker ticker;
    private final int pageSize;

    Controller(Ticker ticker, int pageSize) {
        this.ticker = ticker;
        this.pageSize = pageSize;
    }

    /** Starts measuring every vCPU from now: the controller was just started. */
    void startSampling(Iterable<Vcpu> vcpus) {
        long now = ticker.nanoTime();
        for (Vcpu vcpu : vcpus) {
            startSampling(vcpu, now);
        }
    }

    void startSampling(Vcpu vcpu, long now) {
        vcpu.control.lastSamplePages = vcpu.pagesDirtiedTotal();
        vcpu.control.lastSampleNanos = now;
        vcpu.control.lastSamplePoints = vcpu.throttlePoints();
        vcpu.control.lastSampleSleptNanos = vcpu.sleptNanos();
        vcpu.demand.snapshot(vcpu.control.lastDemand);
    }

    /** The controller stopped: no rate is current any more. */
    void stopSampling(Iterable<Vcpu> vcpus) {
        for (Vcpu vcpu : vcpus) {
            vcpu.control.currentRateMBps = 0;
        }
    }

    void runPeriod(Iterable<Vcpu> vcpus, String policyName) {
        long now = ticker.nanoTime();
        for (Vcpu vcpu : vcpus) {
            long elapsed = now - vcpu.control.lastSampleNanos;
            if (elapsed <= 0) {
                continue;
            }
            double rate = sample(vcpu, now, elapsed);
            if (vcpu.control.limited() && vcpu.guarded()) {
                recordPacing(vcpu, rate);
            } else if (vcpu.control.limited()) {
                adjust(vcpu, rate, elapsed, policyName);
            }
        }
    }

    /** The vCPU's rate since its last sample, MB/s; remembered as its current rate. */
    private double sample(Vcpu vcpu, long now, long elapsedNanos) {
        VcpuControl control = vcpu.control;
        long pages = vcpu.pagesDirtiedTotal();
        long counted = pages - control.lastSamplePages;
        control.lastSamplePages = pages;
        control.lastSampleNanos = now;
        control.sampledPages += counted;
        control.currentRateMBps = Units.mbPerSec(counted, elapsedNanos, pageSize);
        return control.currentRateMBps;
    }

    /**
     * A paced vCPU's sleep per point over the period, for query and a JFR ThrottleAdjust event
     * (policy "pacing"); its demand snapshot is kept fresh so that a policy taking over (the
     * guarantee turned off) starts from the last period.
     */
    private static void recordPacing(Vcpu vcpu, double rate) {
        VcpuControl control = vcpu.control;
        long points = vcpu.throttlePoints();
        long slept = vcpu.sleptNanos();
        long newPoints = points - control.lastSamplePoints;
        double before = control.pacedSleepNanosPerPoint;
        if (newPoints > 0) {
            control.pacedSleepNanosPerPoint = (slept - control.lastSampleSleptNanos) / (double) newPoints;
        }
        Trace.paced(vcpu.index(), control.limitMBps, rate, before, control.pacedSleepNanosPerPoint, pagesPerPoint(vcpu));
        control.lastSamplePoints = points;
        control.lastSampleSleptNanos = slept;
        vcpu.demand.snapshot(control.lastDemand);
    }

    private void adjust(Vcpu vcpu, double rate, long elapsedNanos, String policyName) {
        VcpuControl control = vcpu.control;
        double pages = pagesPerPoint(vcpu);
        double sleepNow = vcpu.sleepNanosPerPage() * pages;
        double linearFill = ThrottleInput.unthrottledFillNanos(rate, sleepNow, pages, pageSize);
        ThrottleInput input = new ThrottleInput(vcpu.index(), control.limitMBps, rate, sleepNow, elapsedNanos,
                pages, pageSize, demandCurve(vcpu, pages, linearFill));
        vcpu.publishSleepNanosPerPage(askPolicy(control, input, policyName) / pages);
        Trace.adjusted(input, policyName, vcpu.sleepNanosPerPage() * pages);
    }

    /** The demand curve of the period that just ended, from the vCPU's cycle histogram. */
    private DemandCurve demandCurve(Vcpu vcpu, double pagesPerPoint, double linearFillNanos) {
        VcpuControl control = vcpu.control;
        vcpu.demand.snapshot(control.nextDemand);
        DemandCurve curve =
                DemandCurve.measured(control.lastDemand, control.nextDemand, pagesPerPoint, pageSize, linearFillNanos);
        long[] swap = control.lastDemand;
        control.lastDemand = control.nextDemand;
        control.nextDemand = swap;
        return curve;
    }

    /**
     * The policy's answer, made safe: NaN keeps the current sleep; a policy that throws anything (an
     * {@link Error} included: a broken policy must not take the controller thread down with it) keeps
     * the current sleep this period, is logged once and is dropped for this vCPU, which falls back to
     * a fresh default policy. A default policy that fails in turn keeps the sleep from then on.
     */
    private static double askPolicy(VcpuControl control, ThrottleInput input, String policyName) {
        PolicyBinding<?> policy = control.policy;
        try {
            double next = policy.nextSleepNanos(input);
            return Double.isNaN(next) ? input.sleepNanosPerPoint() : Math.max(0, next);
        } catch (Throwable failure) {
            if (policy.firstFailure()) {
                fallBack(control, input.cpuIndex(), policyName, failure);
            }
            return input.sleepNanosPerPoint();
        }
    }

    private static void fallBack(VcpuControl control, int cpuIndex, String policyName, Throwable failure) {
        if (control.fellBack) {
            CoreLog.warn("dirtylimit: the default policy failed for vCPU " + cpuIndex + " too; keeping its sleep", failure);
            return;
        }
        control.fellBack = true;
        control.policy = PolicyBinding.bind(new ModelPolicy());
        CoreLog.warn("dirtylimit: policy " + policyName + " failed for vCPU " + cpuIndex + "; vCPU " + cpuIndex
                + " falls back to " + DirtyLimiter.DEFAULT_POLICY, failure);
    }

    /**
     * Pages dirtied between throttle points: the quantum, or the ring when it fills sooner, or the
     * ring alone when quantum points are off.
     */
    static double pagesPerPoint(Vcpu vcpu) {
        long quantum = vcpu.quantumPages();
        long ring = vcpu.ringFillPages();
        if (quantum > 0) {
            return ring > 0 ? Math.min(quantum, ring) : quantum;
        }
        return ring > 0 ? ring : DEFAULT_RING_PAGES;
    }
}
