package io.dirtylimit.bench;

import io.dirtylimit.agent.control.LimitService;
import io.dirtylimit.agent.profile.HookSpec;
import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.ProfileException;
import io.dirtylimit.agent.profile.Profiles;
import io.dirtylimit.agent.runtime.CoreThrottle;
import io.dirtylimit.agent.runtime.Dispatcher;
import io.dirtylimit.agent.runtime.HandlerSwitch;
import io.dirtylimit.agent.runtime.Harvester;
import io.dirtylimit.agent.runtime.PageTracker;
import io.dirtylimit.agent.runtime.VcpuDirectory;
import io.dirtylimit.bridge.Bridge;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark-only: the agent's real bridge handler installed in this JVM without instrumenting
 * anything, so that a benchmark can call the {@link Bridge} entry points exactly as the inlined
 * advice does. It is what the agent's {@code Installation} builds, minus the hooks and the migration
 * governor: the profile, a core {@code DirtyLimiter} with no limit set (prepared mode), the vCPU
 * directory and the limit service, the dispatcher and, when the profile tracks pages, the harvester
 * thread that clears them every harvest interval. It uses the agent's internal classes (public across
 * the agent's packages, no compatibility promised); it is not part of the agent.
 */
public final class BenchAgent implements AutoCloseable {
    private final Profile profile;
    private final CoreThrottle throttle;
    private final VcpuDirectory directory;
    private final Dispatcher dispatcher;
    private final Harvester harvester;
    private final HandlerSwitch handlers;

    private BenchAgent(Profile profile, CoreThrottle throttle, VcpuDirectory directory, Dispatcher dispatcher,
                       Harvester harvester, HandlerSwitch handlers) {
        this.profile = profile;
        this.throttle = throttle;
        this.directory = directory;
        this.dispatcher = dispatcher;
        this.harvester = harvester;
        this.handlers = handlers;
    }

    /** {@link #install(String, boolean)} counting always: the dispatcher serves every hook call. */
    public static BenchAgent install(String profile) {
        return install(profile, true);
    }

    /**
     * Installs the handler for {@code profile} (a built-in name such as {@code toyvm}, or a file
     * path) with no limit, as {@code -javaagent:...=profile=NAME} does ({@code countAlways}: as
     * {@code ...,counting=always} does, else the per-page hooks idle as nothing needs counts).
     *
     * @throws IllegalStateException if the profile has errors or another handler is installed
     */
    public static BenchAgent install(String profile, boolean countAlways) {
        if (!Bridge.isIdle()) {
            throw new IllegalStateException("a bridge handler is already installed in this JVM");
        }
        Profile parsed;
        try {
            parsed = Profiles.load(profile);
        } catch (ProfileException e) {
            throw new IllegalStateException("profile " + profile + ": " + String.join("; ", e.errors()), e);
        }
        CoreThrottle throttle = CoreThrottle.create(parsed, null, null, null, null);
        VcpuDirectory directory = new VcpuDirectory(throttle, parsed.maxVcpus());
        LimitService limits = new LimitService(throttle, directory);
        directory.onRegistered(limits::vcpuRegistered);
        Dispatcher dispatcher = new Dispatcher(parsed, directory);
        Harvester harvester = Harvester.start(dispatcher, parsed.harvest());
        HandlerSwitch handlers = new HandlerSwitch(dispatcher, Bridge::install);
        handlers.countAlways(countAlways);
        throttle.onMeasuringChange(handlers::limiterMeasuring);
        limits.onWaitingChange(handlers::limitsWaiting);
        handlers.goLive();
        return new BenchAgent(parsed, throttle, directory, dispatcher, harvester, handlers);
    }

    /** The bridge's {@code hook} argument for the profile's first hook of {@code role} ("ring-full", "store", ...). */
    public int hookIndex(String role) {
        for (HookSpec hook : profile.hooks()) {
            if (hook.role().keyword().equals(role)) {
                return hook.index();
            }
        }
        throw new IllegalArgumentException("profile " + profile.origin() + " has no " + role + " hook");
    }

    /** Clears every page the agent's trackers hold dirty (what the harvester does every interval). */
    public long harvestNow() {
        return dispatcher.harvest();
    }

    /** Object spaces live now (0 when the profile names none). */
    public int objectSpaces() {
        return dispatcher.objectSpaces() == null ? 0 : dispatcher.objectSpaces().size();
    }

    /** The dispatcher: what the bridge calls (a memory benchmark may call it directly, as the bridge does). */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Whether the per-page hooks count now (else the idle handler serves them). */
    public boolean counting() {
        return handlers.counting();
    }

    /** Suppressed failures so far: a benchmark whose hook fails measures the wrong thing. */
    public long faults() {
        return dispatcher.faults().total();
    }

    /** Whether a hook call has registered vCPU {@code vcpu} (else the calling thread was not recognised). */
    public boolean registered(int vcpu) {
        return Arrays.stream(directory.registered()).anyMatch(cpu -> cpu == vcpu);
    }

    /** Pages the core has counted for {@code vcpu} so far, to check the hooks reached it. */
    public long pagesCounted(int vcpu) {
        return throttle.limiter().vcpu(vcpu).pagesDirtiedTotal();
    }

    /** The trackers' names, for messages. */
    public List<String> trackers() {
        return dispatcher.trackers().stream().map(PageTracker::name).toList();
    }

    /** Restores the no-op handler, stops the harvester and closes the limiter. */
    @Override
    public void close() {
        handlers.goDead();
        if (harvester != null) {
            harvester.close();
        }
        throttle.close();
    }
}
