package io.dirtylimit.agent;

import io.dirtylimit.agent.control.Controlled;
import io.dirtylimit.agent.control.LimitService;
import io.dirtylimit.agent.control.UnitEvents;
import io.dirtylimit.agent.instrument.HookInstaller;
import io.dirtylimit.agent.instrument.HookReport;
import io.dirtylimit.agent.instrument.HookUnit;
import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.runtime.CoreThrottle;
import io.dirtylimit.agent.runtime.Dispatcher;
import io.dirtylimit.agent.runtime.HandlerSwitch;
import io.dirtylimit.agent.runtime.Harvester;
import io.dirtylimit.agent.runtime.VcpuDirectory;
import io.dirtylimit.bridge.Bridge;
import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.migration.CpuThrottle;
import io.dirtylimit.core.migration.MigrationGovernor;
import io.dirtylimit.core.migration.MigrationSettings;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * One installed profile: its throttle, vCPU directory, limit service, migration governor,
 * dispatcher, page harvester and hooks, and the Instrumentation they were installed with (a later
 * attach brings another Instrumentation instance, which cannot deregister this transformer).
 */
final class Installation implements Controlled {
    final Profile profile;
    final Instrumentation inst;
    final CoreThrottle throttle;
    final VcpuDirectory directory;
    final LimitService limits;
    final MigrationGovernor governor;
    final Dispatcher dispatcher;
    private final HandlerSwitch handlers;
    final HookReport hooks;
    private final Harvester harvester;
    private final UnitEvents unitEvents;
    private ResettableClassFileTransformer transformer;

    private Installation(Profile profile, Instrumentation inst, CoreThrottle throttle) {
        this.profile = profile;
        this.inst = inst;
        this.throttle = throttle;
        this.directory = new VcpuDirectory(throttle, profile.maxVcpus());
        this.limits = new LimitService(throttle, directory);
        CpuThrottle cpuThrottle = CpuThrottle.realTime();
        this.governor = new MigrationGovernor(limits, cpuThrottle, System::nanoTime, profile.pageSize(),
                event -> Log.info("migration: " + event));
        this.dispatcher = new Dispatcher(profile, directory, governor, cpuThrottle);
        this.handlers = new HandlerSwitch(dispatcher, Bridge::install);
        this.hooks = new HookReport(profile.hooks());
        this.harvester = Harvester.start(dispatcher, profile.harvest());
        this.unitEvents = new UnitEvents(limits);
        directory.onFirstLabel(unitEvents::start);
    }

    /**
     * Installs {@code profile}: limits first (a refused limit installs nothing), then the handler,
     * then the hooks (retransforming loaded classes). On any failure everything is undone.
     */
    static Installation install(Profile profile, Instrumentation inst, CoreThrottle throttle, AgentOptions options) {
        Installation installation = new Installation(profile, inst, throttle);
        try {
            installation.directory.onRegistered(installation.limits::vcpuRegistered);
            installation.limits.replace(options.limit);
            installation.governor.configure(options.migrationSettings(MigrationSettings.DEFAULTS));
            installation.handlers.faultEvery(options.faultEvery);
            installation.handlers.countAlways(Boolean.TRUE.equals(options.countAlways));
            installation.throttle.onMeasuringChange(installation.handlers::limiterMeasuring);
            installation.limits.onWaitingChange(installation.handlers::limitsWaiting);
            installation.limits.onWatchingChange(installation.handlers::migrationWatched);
            installation.handlers.goLive();
            List<HookUnit> units = profile.hooks().stream().map(HookUnit::new).toList();
            installation.transformer = HookInstaller.install(units, inst, installation.hooks);
            return installation;
        } catch (RuntimeException | Error e) {
            installation.uninstall();
            throw e;
        }
    }

    /** Applies new options to this installation (a second attach with the same profile); hooks unchanged. */
    void reconfigure(AgentOptions options) {
        if (options.period != null) {
            throttle.setPeriod(options.period);
        }
        if (options.policy != null) {
            throttle.setPolicy(options.policy);
        }
        if (options.quantum != null) {
            throttle.setQuantum(options.quantum);
        }
        if (options.guard != null) {
            throttle.setGuard(options.guard);
        }
        if (options.countAlways != null) {
            handlers.countAlways(options.countAlways);
        }
        if (!options.limit.isEmpty()) {
            limits.replace(options.limit);
        }
        if (options.hasMigration()) {
            governor.configure(options.migrationSettings(governor.settings()));
        }
        if (options.faultEvery != handlers.faultEvery() && (options.faultEvery > 0 || handlers.faultEvery() > 0)) {
            handlers.faultEvery(options.faultEvery);
        }
    }

    /** The report's lines about this installation: hooks, limits, throttle, counting, migration, vCPUs, faults. */
    void describe(AgentReport report, boolean startUp) {
        Set<String> loaded = new HashSet<>();
        if (!startUp) {
            for (Class<?> type : inst.getAllLoadedClasses()) {
                loaded.add(type.getName());
            }
        }
        hooks.describe(loaded, report::line, report::warning);
        report.line("limits: " + limits.describe());
        report.line("throttle: " + throttle.describe());
        report.line("page counting: " + (handlers.counting() ? "on" : "idle")
                + (handlers.countAlways() ? " (counting=always)"
                : handlers.counting() ? "" : " (per-page hooks return at once until a limit, a calc or a watched migration needs counts)"));
        report.line("migration: " + governor.describe());
        report.line("vCPUs seen: " + Arrays.toString(directory.registered()));
        if (dispatcher.objectSpaces() != null) {
            report.line("object spaces: " + dispatcher.objectSpaces().size() + " live, " + dispatcher.objectSpaces().dropped()
                    + " dropped (their objects collected)");
        }
        describeFaults(report);
    }

    void describeFaults(AgentReport report) {
        List<String> faults = dispatcher.faults().describe();
        if (faults.isEmpty()) {
            report.line("suppressed failures: none");
        } else {
            report.line("suppressed failures: " + dispatcher.faults().total());
            faults.forEach(line -> report.line("  " + line));
        }
    }

    /**
     * Undoes everything: the no-op handler first (hooks still inlined become no-ops), then the
     * governor lifts what it set, then the throttle is closed (sleeping vCPUs wake, the controller
     * stops), then the original bytecode is restored. Returns the classes restored, or null if
     * there were no hooks to remove.
     */
    List<String> uninstall() {
        handlers.goDead();
        unitEvents.close();
        governor.migrationFinished();
        try {
            throttle.close();
        } finally {
            if (harvester != null) {
                harvester.close();
            }
        }
        if (transformer == null) {
            return null;
        }
        List<String> restored = HookInstaller.reset(transformer, inst, hooks);
        transformer = null;
        return restored;
    }

    // ---- what the MXBean controls

    @Override
    public LimitService limits() {
        return limits;
    }

    @Override
    public DirtyLimiter limiter() {
        return throttle.limiter();
    }

    @Override
    public String profile() {
        return profile.name() + " (" + profile.origin() + ")";
    }

    @Override
    public HookReport hooks() {
        return hooks;
    }

    @Override
    public long suppressedFailures() {
        return dispatcher.faults().total();
    }

    @Override
    public int[] vcpus() {
        return directory.registered();
    }

    @Override
    public MigrationGovernor governor() {
        return governor;
    }
}
