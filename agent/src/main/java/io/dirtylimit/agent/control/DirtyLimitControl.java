package io.dirtylimit.agent.control;

import io.dirtylimit.agent.discover.Discovery;
import io.dirtylimit.agent.runtime.UnitLabel;
import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.DirtyRateInfo;
import io.dirtylimit.core.Durations;
import io.dirtylimit.core.GuardMode;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The MXBean: every call goes to the installation current at that moment, so one registration
 * serves the agent across detach and attach. Limits go through the installation's
 * {@link LimitService}. Only JDK exception types leave it (a JMX client must be able to deserialise
 * them), with the service's or the core's message.
 */
final class DirtyLimitControl implements DirtyLimitMXBean {
    private final Supplier<Controlled> current;
    private final String version;

    DirtyLimitControl(Supplier<Controlled> current, String version) {
        this.current = current;
        this.version = version;
    }

    @Override
    public void setVcpuDirtyLimit(int cpuIndex, double dirtyRate) {
        installation().limits().set(cpuIndex, dirtyRate);
    }

    @Override
    public void limitAllVcpus(double dirtyRate) {
        installation().limits().setAll(dirtyRate);
    }

    @Override
    public void cancelVcpuDirtyLimit(int cpuIndex) {
        installation().limits().cancel(cpuIndex);
    }

    @Override
    public void cancelAllVcpuDirtyLimit() {
        installation().limits().cancelAll();
    }

    @Override
    public List<VcpuDirtyLimit> queryVcpuDirtyLimit() {
        return installation().limits().query().stream()
                .map(row -> new VcpuDirtyLimit(row.cpu(), row.enabled(), row.limitMbps(), row.currentMbps(),
                        row.sleepNanosPerThrottlePoint(), row.throttlePoints(), row.owner() == null ? "" : row.owner().keyword(),
                        row.pending(), describe(row.unit()), unitClass(row.unit()), unitHash(row.unit())))
                .toList();
    }

    @Override
    public String getLimits() {
        return installation().limits().describe();
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
        LimitService limits = installation().limits();
        List<VcpuRate> rates = info.vcpuRates().stream().map(r -> {
            UnitLabel unit = limits.unit(r.cpuIndex());
            return new VcpuRate(r.cpuIndex(), r.rate(), describe(unit), unitClass(unit), unitHash(unit));
        }).toList();
        return new DirtyRate(info.window().toNanos() / 1e9, rates, info.totalRate());
    }

    @Override
    public boolean isActive() {
        return current.get() != null;
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
    public String getGuard() {
        return limiter().guard().optionName();
    }

    @Override
    public void setGuard(String mode) {
        limiter().setGuard(GuardMode.parse(mode));
    }

    @Override
    public boolean isGuarded() {
        return limiter().isGuarded();
    }

    @Override
    public int getQuantumPages() {
        return limiter().quantumPages();
    }

    @Override
    public String getProfile() {
        return installation().profile();
    }

    @Override
    public List<String> getHooksMatched() {
        return installation().hooks().matchedLines();
    }

    @Override
    public List<String> getHooksUnmatched() {
        return installation().hooks().unmatchedLines();
    }

    @Override
    public long getSuppressedErrors() {
        return installation().suppressedFailures();
    }

    @Override
    public int[] getVcpus() {
        return installation().vcpus();
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public String getMigrationMode() {
        return installation().governor().mode();
    }

    @Override
    public void setMigrationMode(String mode) {
        installation().governor().setMode(mode);
    }

    @Override
    public String getMigrationState() {
        return installation().governor().describe();
    }

    @Override
    public boolean isMigrationRunning() {
        return installation().governor().running();
    }

    private static String describe(UnitLabel unit) {
        return unit == null ? "" : unit.describe();
    }

    private static String unitClass(UnitLabel unit) {
        return unit == null || !unit.isSpace() ? "" : unit.className();
    }

    private static int unitHash(UnitLabel unit) {
        return unit == null ? 0 : unit.identityHash();
    }

    @Override
    public List<String> discover(String options) {
        return Discovery.runBlocking(options);
    }

    private Controlled installation() {
        Controlled installation = current.get();
        if (installation == null) {
            throw new IllegalStateException("the dirtylimit agent is detached in this JVM; attach it again first");
        }
        return installation;
    }

    private DirtyLimiter limiter() {
        return installation().limiter();
    }
}
