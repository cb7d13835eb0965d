package io.dirtylimit.agent.runtime;

import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.core.DirtyLimitInfo;
import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.GuardMode;
import io.dirtylimit.core.Durations;
import io.dirtylimit.core.MeasuringListener;
import io.dirtylimit.core.Vcpu;
import java.time.Duration;
import java.util.List;

/** {@link Throttle} on the throttle core's {@link DirtyLimiter}. */
public final class CoreThrottle implements Throttle {

    private final DirtyLimiter limiter;
    /** Where the limiter's measuring changes go; set once by the installation. */
    private final Forward forward;

    private CoreThrottle(DirtyLimiter limiter, Forward forward) {
        this.limiter = limiter;
        this.forward = forward;
    }

    /**
     * A limiter for {@code profile} with the given period, policy, quantum (the option's quantum wins
     * over the profile's) and limit guarantee. Bad values are refused by the core with an
     * IllegalArgumentException.
     *
     * @param profile the profile (page size, quantum)
     * @param period the control period, or null for the core's
     * @param policy the policy's name, or null for the core's
     * @param optionQuantum the quantum= option, or null
     * @param guard the guard= option, or null for the core's default
     * @return the throttle
     */
    public static CoreThrottle create(Profile profile, Duration period, String policy, Integer optionQuantum,
            GuardMode guard) {
        DirtyLimiter.Builder builder = DirtyLimiter.builder().pageSize(profile.pageSize());
        if (period != null) {
            builder.period(period);
        }
        if (policy != null) {
            builder.policy(policy);
        }
        Integer quantum = optionQuantum != null ? optionQuantum : profile.quantum();
        if (quantum != null) {
            builder.quantumPages(quantum);
        }
        if (guard != null) {
            builder.guard(guard);
        }
        if (profile.unitCredit() != null) {
            // vcpu-id space: units share the runtime's worker threads, and a throttle sleep holds one.
            builder.sharedThreadCredit(profile.unitCredit());
        }
        Forward forward = new Forward();
        return new CoreThrottle(builder.measuringListener(forward).build(), forward);
    }

    /** @return the core's limiter (the MXBean's calc, period, policy and quantum go to it directly) */
    public DirtyLimiter limiter() {
        return limiter;
    }

    @Override
    public VcpuPort register(int cpu) {
        return new Port(limiter.registerVcpu(cpu));
    }

    @Override
    public void setLimit(int cpu, double mbps) {
        limiter.setVcpuDirtyLimit(cpu, mbps);
    }

    @Override
    public long pagesDirtied(int cpu) {
        Vcpu vcpu = limiter.vcpu(cpu);
        return vcpu == null ? 0 : vcpu.pagesDirtiedTotal();
    }

    @Override
    public void onMeasuringChange(MeasuringListener listener) {
        forward.listenerVolatile = listener;
        listener.measuringChanged(limiter.isMeasuring());
    }

    @Override
    public List<DirtyLimitInfo> query() {
        return limiter.queryVcpuDirtyLimit();
    }

    @Override
    public void setPeriod(Duration period) {
        limiter.setPeriod(period);
    }

    @Override
    public Duration period() {
        return limiter.period();
    }

    @Override
    public void setPolicy(String policy) {
        limiter.setPolicy(policy);
    }

    @Override
    public void setQuantum(int pages) {
        limiter.setQuantumPages(pages);
    }

    @Override
    public void setGuard(GuardMode mode) {
        limiter.setGuard(mode);
    }

    @Override
    public String describe() {
        return "period " + Durations.format(limiter.period()) + ", policy " + limiter.policy()
                + ", quantum " + limiter.quantumPages() + " pages, guard " + limiter.guard().optionName()
                + " (limits " + (limiter.isGuarded() ? "paced from the first page" : "by the controller alone") + ")"
                + (limiter.sharedThreadCredit().isZero() ? "" : ", units on shared threads keep "
                + Durations.format(limiter.sharedThreadCredit()) + " of credit");
    }

    @Override
    public void close() {
        limiter.close();
    }

    /** The limiter's listener, built before the installation that listens. */
    private static final class Forward implements MeasuringListener {
        volatile MeasuringListener listenerVolatile;

        @Override
        public void measuringChanged(boolean measuring) {
            MeasuringListener listener = listenerVolatile;
            if (listener != null) {
                listener.measuringChanged(measuring);
            }
        }
    }

    /** One core vCPU; the only {@link VcpuPort} in a running agent, so calls through it stay monomorphic. */
    private static final class Port implements VcpuPort {
        private final Vcpu vcpu;

        Port(Vcpu vcpu) {
            this.vcpu = vcpu;
        }

        @Override
        public void pagesDirtied(int count) {
            vcpu.pagesDirtied(count);
        }

        @Override
        public void ringFull() {
            vcpu.ringFull();
        }
    }
}
