package io.dirtylimit.core;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Per-vCPU dirty-page-rate limits: the limiter API, named after QEMU's QMP commands.
 *
 * <p>Rates are in MB/s where MB means MiB (2^20 bytes), as in QEMU. A limit of 0 means cancel.
 * One controller thread serves every vCPU: it is started when the first limit is set and stopped
 * when the last one is cancelled. Changes to a limit, the period or the policy take effect at the
 * next period. Bad input is refused with an {@link IllegalArgumentException} whose message says
 * what was wrong.
 *
 * <p>The emulator side registers vCPUs ({@link #registerVcpu}) and calls the hot-path methods of
 * {@link Vcpu} from the vCPU's own thread.
 *
 * <p>API CONTRACT SKELETON: signatures are fixed (the agent codes against them); the bodies are
 * implemented by the core issue.
 */
public final class DirtyLimiter implements AutoCloseable {

    /** Default sampling and control period. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);
    /** Shortest accepted period. */
    public static final Duration MIN_PERIOD = Duration.ofMillis(10);
    /** Longest accepted period. */
    public static final Duration MAX_PERIOD = Duration.ofSeconds(10);
    /** Name of the default policy. */
    public static final String DEFAULT_POLICY = "model";

    private DirtyLimiter() {}

    /** A builder with real time, the default period, policy and quantum. */
    public static Builder builder() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A limiter with every default: real time, 1 s period, the {@code model} policy. */
    public static DirtyLimiter create() {
        return builder().build();
    }

    /** The names {@link #setPolicy} accepts. */
    public static Set<String> policyNames() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Registers vCPU {@code cpuIndex} (idempotent: returns the existing one). A limit set for all
     * vCPUs with {@link #setAllVcpuDirtyLimit} also applies to vCPUs registered later.
     */
    public Vcpu registerVcpu(int cpuIndex) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Unregisters a vCPU whose thread is gone (hot-unplug); wakes it if it sleeps. No-op if unknown. */
    public void unregisterVcpu(int cpuIndex) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The registered vCPU with this index, or {@code null}. */
    public Vcpu vcpu(int cpuIndex) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** QEMU {@code set-vcpu-dirty-limit cpu-index=N}: limits one registered vCPU; 0 cancels. */
    public void setVcpuDirtyLimit(int cpuIndex, double mbPerSec) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** QEMU {@code set-vcpu-dirty-limit} without cpu-index: every vCPU, now and registered later; 0 cancels. */
    public void setAllVcpuDirtyLimit(double mbPerSec) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** QEMU {@code cancel-vcpu-dirty-limit cpu-index=N}. */
    public void cancelVcpuDirtyLimit(int cpuIndex) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** QEMU {@code cancel-vcpu-dirty-limit} without cpu-index. */
    public void cancelAllVcpuDirtyLimit() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** QEMU {@code query-vcpu-dirty-limit}: one row per registered vCPU, ordered by cpu index. */
    public List<DirtyLimitInfo> queryVcpuDirtyLimit() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * QEMU {@code calc-dirty-rate}: every registered vCPU's dirty rate over {@code window},
     * limited or not. Blocks the caller for the window.
     */
    public DirtyRateInfo calcDirtyRate(Duration window) throws InterruptedException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Sets the control period, {@link #MIN_PERIOD} to {@link #MAX_PERIOD}. */
    public void setPeriod(Duration period) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The control period. */
    public Duration period() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Selects the policy by name (see {@link #policyNames()}). */
    public void setPolicy(String name) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The name of the policy in use. */
    public String policy() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Places a throttle point every {@code pages} dirtied pages; 0 leaves only ring-full points. */
    public void setQuantumPages(int pages) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Pages between quantum throttle points; 0 when only ring-full points throttle. */
    public int quantumPages() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Cancels every limit, wakes every sleeping vCPU within one sleep chunk and stops the controller. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Configures a {@link DirtyLimiter}. */
    public static final class Builder {
        private Builder() {}

        /** The clock; the default is {@link System#nanoTime()}. */
        public Builder ticker(Ticker ticker) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** How vCPU threads sleep; the default parks the thread. */
        public Builder sleeper(Sleeper sleeper) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** The control period (default 1 s). */
        public Builder period(Duration period) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** The policy name (default {@code model}). */
        public Builder policy(String name) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Pages between quantum throttle points (0: only ring-full points). */
        public Builder quantumPages(int pages) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Guest page size in bytes (default 4096). */
        public Builder pageSize(int bytes) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Builds the limiter; no thread is started until a limit is set. */
        public DirtyLimiter build() {
            throw new UnsupportedOperationException("not implemented yet");
        }
    }
}
