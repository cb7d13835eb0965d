package io.dirtylimit.agent;

import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.Vcpu;
import java.time.Duration;

/** {@link Throttle} on the throttle core's {@link DirtyLimiter}. */
final class CoreThrottle implements Throttle {
    private final DirtyLimiter limiter;

    private CoreThrottle(DirtyLimiter limiter) {
        this.limiter = limiter;
    }

    /**
     * A limiter for {@code profile} with the options' period, policy and quantum (the option's
     * quantum wins over the profile's). Bad values are refused by the core with an IllegalArgumentException.
     */
    static CoreThrottle create(Profile profile, AgentOptions options) {
        DirtyLimiter.Builder builder = DirtyLimiter.builder().pageSize(profile.pageSize());
        if (options.period != null) {
            builder.period(options.period);
        }
        if (options.policy != null) {
            builder.policy(options.policy);
        }
        Integer quantum = options.quantum != null ? options.quantum : profile.quantum();
        if (quantum != null) {
            builder.quantumPages(quantum);
        }
        return new CoreThrottle(builder.build());
    }

    DirtyLimiter limiter() {
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
    public void setAllLimit(double mbps) {
        limiter.setAllVcpuDirtyLimit(mbps);
    }

    @Override
    public long pagesDirtied(int cpu) {
        Vcpu vcpu = limiter.vcpu(cpu);
        return vcpu == null ? 0 : vcpu.pagesDirtiedTotal();
    }

    @Override
    public void cancelAll() {
        limiter.cancelAllVcpuDirtyLimit();
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
    public String describe() {
        return "period " + Durations.format(limiter.period()) + ", policy " + limiter.policy()
                + ", quantum " + limiter.quantumPages() + " pages";
    }

    @Override
    public void close() {
        limiter.close();
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
