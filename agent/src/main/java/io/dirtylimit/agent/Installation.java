package io.dirtylimit.agent;

import io.dirtylimit.bridge.Bridge;
import io.dirtylimit.bridge.BridgeHandler;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * One installed profile: its throttle, dispatcher, page harvester and hooks, and the
 * Instrumentation they were installed with (a later attach brings another Instrumentation
 * instance, which cannot deregister this transformer).
 */
final class Installation {
    final Profile profile;
    final Instrumentation inst;
    final Throttle throttle;
    final VcpuDirectory directory;
    final Dispatcher dispatcher;
    private final HandlerSwitch handlers;
    final HookReport hooks;
    final MigrationGovernor governor;
    private final Harvester harvester;
    private ResettableClassFileTransformer transformer;
    LimitSpec limits = LimitSpec.NONE;

    private Installation(Profile profile, Instrumentation inst, Throttle throttle) {
        this.profile = profile;
        this.inst = inst;
        this.throttle = throttle;
        this.directory = new VcpuDirectory(throttle, profile.maxVcpus());
        CpuThrottle cpuThrottle = CpuThrottle.realTime();
        this.governor = new MigrationGovernor(new GovernorTarget(), cpuThrottle, System::nanoTime, profile.pageSize());
        this.dispatcher = new Dispatcher(profile, directory, governor, cpuThrottle);
        this.handlers = new HandlerSwitch(dispatcher, Bridge::install);
        this.hooks = new HookReport(profile.hooks());
        this.harvester = Harvester.start(dispatcher.trackers(), profile.harvest());
    }

    /**
     * Installs {@code profile}: limits first (a refused limit installs nothing), then the handler,
     * then the hooks (retransforming loaded classes). On any failure everything is undone.
     */
    static Installation install(Profile profile, Instrumentation inst, Throttle throttle, AgentOptions options) {
        Installation installation = new Installation(profile, inst, throttle);
        try {
            installation.applyLimits(options.limit);
            installation.governor.configure(options.migrationSettings(MigrationSettings.DEFAULTS));
            installation.handlers.faultEvery(options.faultEvery);
            installation.handlers.countAlways(Boolean.TRUE.equals(options.countAlways));
            installation.throttle.onMeasuringChange(installation.handlers::limiterMeasuring);
            installation.directory.onPendingChange(installation.handlers::limitsPending);
            installation.handlers.goLive();
            List<HookUnit> units = profile.hooks().stream().map(HookUnit::new).toList();
            installation.transformer = HookInstaller.install(units, inst, installation.hooks);
            return installation;
        } catch (RuntimeException | Error e) {
            installation.uninstall();
            throw e;
        }
    }

    void applyLimits(LimitSpec spec) {
        directory.applyLimits(spec);
        limits = spec;
        if (governor != null) {
            governor.operatorLimitsReplaced();
        }
    }

    /** Turns fault injection on ({@code every} > 0) or off: a handler swap, no retransformation. */
    void setFaultEvery(long every) {
        handlers.faultEvery(every);
    }

    long faultEvery() {
        return handlers.faultEvery();
    }

    /** counting=always (true) or auto. */
    void setCountAlways(boolean always) {
        handlers.countAlways(always);
    }

    boolean countAlways() {
        return handlers.countAlways();
    }

    /** Whether the hooks count dirty pages now, else they idle (nothing needs the counts). */
    boolean counting() {
        return handlers.counting();
    }

    /**
     * Undoes everything: the no-op handler first (hooks still inlined become no-ops), then the
     * throttle is closed (sleeping vCPUs wake, the controller stops), then the original bytecode
     * is restored. Returns the classes restored, or null if there were no hooks to remove.
     */
    List<String> uninstall() {
        handlers.goDead();
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

    /** The governor's view of this installation: registered vCPUs, their page counts, the operator's limits. */
    private final class GovernorTarget implements MigrationGovernor.Target {
        @Override
        public int[] vcpus() {
            return directory.registered();
        }

        @Override
        public long pagesDirtied(int cpu) {
            return throttle.pagesDirtied(cpu);
        }

        @Override
        public boolean hasOperatorLimit(int cpu) {
            Double mine = limits.perVcpuMbps().get(cpu);
            return mine != null ? mine > 0 : limits.hasAll() && limits.allMbps() > 0;
        }

        @Override
        public void setLimit(int cpu, double mbps) {
            throttle.setLimit(cpu, mbps);
        }

        @Override
        public void watching(boolean watching) {
            handlers.migrationWatched(watching);
        }

        @Override
        public long controlPeriodNanos() {
            return throttle.period().toNanos();
        }
    }
}
