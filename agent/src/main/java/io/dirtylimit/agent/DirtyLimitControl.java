package io.dirtylimit.agent;

import io.dirtylimit.core.DirtyLimitInfo;
import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.DirtyRateInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The MXBean: every call goes to the installation current at that moment, so one registration
 * serves the agent across detach and attach. Only JDK exception types leave it (a JMX client must
 * be able to deserialise them), with the core's message.
 */
final class DirtyLimitControl implements DirtyLimitMXBean {

    @Override
    public void setVcpuDirtyLimit(int cpuIndex, double dirtyRate) {
        limiter().setVcpuDirtyLimit(cpuIndex, dirtyRate);
    }

    @Override
    public void limitAllVcpus(double dirtyRate) {
        limiter().setAllVcpuDirtyLimit(dirtyRate);
    }

    @Override
    public void cancelVcpuDirtyLimit(int cpuIndex) {
        limiter().cancelVcpuDirtyLimit(cpuIndex);
    }

    @Override
    public void cancelAllVcpuDirtyLimit() {
        limiter().cancelAllVcpuDirtyLimit();
    }

    @Override
    public List<VcpuDirtyLimit> queryVcpuDirtyLimit() {
        List<VcpuDirtyLimit> rows = new ArrayList<>();
        for (DirtyLimitInfo info : limiter().queryVcpuDirtyLimit()) {
            rows.add(new VcpuDirtyLimit(info.cpuIndex(), info.enabled(), info.limitRate(), info.currentRate(),
                    info.sleepNanosPerThrottlePoint(), info.throttlePoints()));
        }
        return rows;
    }

    @Override
    public DirtyRate calcDirtyRate(double seconds) {
        if (!(seconds > 0) || seconds > 3600) {
            throw new IllegalArgumentException("calc-dirty-rate window must be between 10 ms and 60 s, got " + seconds + " s");
        }
        DirtyRateInfo info;
        try {
            info = limiter().calcDirtyRate(Duration.ofNanos(Math.round(seconds * 1e9)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("calc-dirty-rate was interrupted");
        }
        List<VcpuRate> rates = info.vcpuRates().stream().map(r -> new VcpuRate(r.cpuIndex(), r.rate())).toList();
        return new DirtyRate(info.window().toNanos() / 1e9, rates, info.totalRate());
    }

    @Override
    public boolean isActive() {
        return AgentRuntime.current() != null;
    }

    @Override
    public String getPeriod() {
        return Durations.format(limiter().period());
    }

    @Override
    public void setPeriod(String period) {
        Duration parsed = period == null ? null : Durations.parseOrNull(period);
        if (parsed == null) {
            throw new IllegalArgumentException("period '" + period + "' is not a duration like 500ms or 1s");
        }
        limiter().setPeriod(parsed);
    }

    @Override
    public String getPolicy() {
        return limiter().policy();
    }

    @Override
    public void setPolicy(String policy) {
        limiter().setPolicy(policy);
    }

    @Override
    public int getQuantumPages() {
        return limiter().quantumPages();
    }

    @Override
    public String getProfile() {
        Installation installation = installation();
        return installation.profile.name() + " (" + installation.profile.origin() + ")";
    }

    @Override
    public List<String> getHooksMatched() {
        Installation installation = installation();
        List<String> lines = new ArrayList<>();
        for (HookSpec hook : installation.profile.hooks()) {
            for (String method : installation.hooks.matched(hook.index())) {
                lines.add("hook " + hook.index() + " (" + hook.role().keyword + ") " + method);
            }
        }
        return lines;
    }

    @Override
    public List<String> getHooksUnmatched() {
        Installation installation = installation();
        List<String> lines = new ArrayList<>();
        for (HookSpec hook : installation.profile.hooks()) {
            if (installation.hooks.matched(hook.index()).isEmpty()) {
                lines.add("hook " + hook.index() + " (line " + hook.line() + ") " + hook.describe());
            }
        }
        return lines;
    }

    @Override
    public long getSuppressedErrors() {
        return installation().dispatcher.faults().total();
    }

    @Override
    public int[] getVcpus() {
        return installation().directory.registered();
    }

    @Override
    public String getVersion() {
        return AgentMain.version();
    }

    @Override
    public String getMigrationMode() {
        return installation().governor.mode();
    }

    @Override
    public void setMigrationMode(String mode) {
        if (mode == null) {
            throw new IllegalArgumentException("migration mode must be one of off, auto, qemu, fit, auto-converge");
        }
        installation().governor.setMode(mode);
    }

    @Override
    public String getMigrationState() {
        return installation().governor.describe();
    }

    @Override
    public boolean isMigrationRunning() {
        return installation().governor.running();
    }

    private static Installation installation() {
        Installation installation = AgentRuntime.current();
        if (installation == null) {
            throw new IllegalStateException("the dirtylimit agent is detached in this JVM; attach it again first");
        }
        return installation;
    }

    private static DirtyLimiter limiter() {
        Installation installation = installation();
        if (!(installation.throttle instanceof CoreThrottle core)) {
            throw new IllegalStateException("this agent runs without the throttle core");
        }
        return core.limiter();
    }
}
