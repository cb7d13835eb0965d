package io.dirtylimit.agent.runtime;

import io.dirtylimit.agent.Log;
import io.dirtylimit.agent.profile.HookSpec;
import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.VcpuRule;
import io.dirtylimit.bridge.BridgeHandler;
import io.dirtylimit.core.migration.CpuThrottle;
import io.dirtylimit.core.migration.MigrationGovernor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge handler of a running agent: turns hook calls into the core's hot-path calls for the
 * calling vCPU, and the migration hooks into the core's migration governor. Lock-free and
 * allocation-free once a thread's vCPU (or a space object) is known; a page already dirty since the
 * last harvest costs a store hook one opaque read and no vCPU lookup (with an object space, the
 * space's lookup first).
 *
 * <p>Named spaces ({@code space=NAME}) have one {@link PageTracker} each; object spaces
 * ({@code space=this|argN|this.FIELD}) one per object, in {@link ObjectSpaces}. With
 * {@code vcpu-id space} each object is also the unit its pages are counted for, whichever thread
 * writes it; otherwise pages are counted for the calling thread's vCPU (or the hook's {@code vcpu=}).
 */
public final class Dispatcher extends BridgeHandler {
    private final VcpuDirectory directory;
    private final ThreadIdentity threads;
    /** Whether hooks that read the index must teach it to the thread (profiles without a thread rule). */
    private final boolean learnThreads;
    /** Pages each ring-full call accounts for (the profile's ring-size; 0 when other hooks count). */
    private final int ringPages;
    /** Per hook: the tracker a store or deduplicated dirty-page marks, else null. */
    private final PageTracker[] trackerByHook;
    /** Per hook: whether a dirty-page value is a guest address (else a page number). */
    private final boolean[] addressByHook;
    /** Per hook: whether a dirty-page hook deduplicates (first write since harvest). */
    private final boolean[] dedupeByHook;
    /** The object spaces, or null when no hook names one. */
    private final ObjectSpaces objectSpaces;
    /** vcpu-id space: each object space is the unit its pages count for. */
    private final boolean unitsBySpace;
    private final int pageShift;
    private final FaultLog faults;
    private final List<PageTracker> trackers;
    /** Null when nothing serves migration hooks (tests). */
    private final MigrationGovernor governor;
    private final CpuThrottle cpuThrottle;

    /**
     * A dispatcher that serves no migration hooks (tests, benchmarks).
     *
     * @param profile the installed profile
     * @param directory the vCPUs
     */
    public Dispatcher(Profile profile, VcpuDirectory directory) {
        this(profile, directory, null, CpuThrottle.realTime());
    }

    /**
     * The dispatcher of an installation.
     *
     * @param profile the installed profile
     * @param directory the vCPUs
     * @param governor fed the migration hooks, or null
     * @param cpuThrottle the auto-converge throttle its vcpu-step hooks pass through
     */
    public Dispatcher(Profile profile, VcpuDirectory directory, MigrationGovernor governor, CpuThrottle cpuThrottle) {
        this.governor = governor;
        this.cpuThrottle = cpuThrottle;
        this.directory = directory;
        this.threads = new ThreadIdentity(profile.vcpuRule(), directory);
        VcpuRule.Kind rule = profile.vcpuRule().kind();
        this.learnThreads = rule == VcpuRule.Kind.FIELD || rule == VcpuRule.Kind.PER_HOOK;
        this.ringPages = profile.ringSize();
        int hooks = profile.hooks().size();
        this.trackerByHook = new PageTracker[hooks];
        this.addressByHook = new boolean[hooks];
        this.dedupeByHook = new boolean[hooks];
        this.pageShift = profile.pageShift();
        this.unitsBySpace = rule == VcpuRule.Kind.SPACE;
        Map<String, PageTracker> spaces = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        boolean anyObjectSpace = false;
        for (HookSpec hook : profile.hooks()) {
            if (hook.objectSpace()) {
                anyObjectSpace = true;
            } else if (hook.tracksPages()) {
                trackerByHook[hook.index()] = spaces.computeIfAbsent(hook.space(), name -> new PageTracker(name, profile.pageShift()));
            }
            addressByHook[hook.index()] = hook.valueIsAddress();
            dedupeByHook[hook.index()] = hook.tracksPages();
            names.add(hook.describe());
        }
        this.objectSpaces = anyObjectSpace ? new ObjectSpaces(profile.pageShift(), unitsBySpace ? directory : null) : null;
        this.trackers = List.copyOf(spaces.values());
        this.faults = new FaultLog(names);
    }

    @Override
    public void ringFull(int hook, int vcpu) {
        VcpuPort port = port(vcpu);
        if (port == null) {
            return;
        }
        if (ringPages > 0) {
            port.pagesDirtied(ringPages);
        }
        port.ringFull();
    }

    @Override
    public void dirtyPage(int hook, int vcpu, long value) {
        PageTracker tracker = trackerByHook[hook];
        if (tracker == null) {
            VcpuPort port = port(vcpu);
            if (port != null) {
                port.pagesDirtied(1);
            }
            return;
        }
        long page = addressByHook[hook] ? value >>> tracker.pageShift() : value;
        if (tracker.isMarked(page)) {
            return;
        }
        VcpuPort port = port(vcpu);
        if (port != null && tracker.mark(page)) {
            port.pagesDirtied(1);
        }
    }

    @Override
    public void store(int hook, int vcpu, long address, long size) {
        if (size <= 0) {
            return;
        }
        PageTracker tracker = trackerByHook[hook];
        long first = address >>> tracker.pageShift();
        long last = (address + size - 1) >>> tracker.pageShift();
        if (first == last && tracker.isMarked(first)) {
            return;
        }
        VcpuPort port = port(vcpu);
        if (port == null) {
            return;
        }
        int fresh = tracker.markRange(first, last);
        if (fresh > 0) {
            port.pagesDirtied(fresh);
        }
    }

    @Override
    public void dirtyPageIn(int hook, int vcpu, Object space, long value) {
        if (space == null) {
            return;
        }
        ObjectSpaces.Space found = objectSpaces.get(space);
        if (!dedupeByHook[hook]) {
            VcpuPort port = unitsBySpace ? found.port : port(vcpu);
            if (port != null) {
                port.pagesDirtied(1);
            }
            return;
        }
        long page = addressByHook[hook] ? value >>> pageShift : value;
        if (found.pages.isMarked(page)) {
            return;
        }
        VcpuPort port = unitsBySpace ? found.port : port(vcpu);
        if (port != null && found.pages.mark(page)) {
            port.pagesDirtied(1);
        }
    }

    @Override
    public void storeIn(int hook, int vcpu, Object space, long address, long size) {
        if (size <= 0 || space == null) {
            return;
        }
        ObjectSpaces.Space found = objectSpaces.get(space);
        PageTracker pages = found.pages;
        long first = address >>> pageShift;
        long last = (address + size - 1) >>> pageShift;
        if (first == last && pages.isMarked(first)) {
            return;
        }
        VcpuPort port = unitsBySpace ? found.port : port(vcpu);
        if (port == null) {
            return;
        }
        int fresh = pages.markRange(first, last);
        if (fresh > 0) {
            port.pagesDirtied(fresh);
        }
    }

    @Override
    public void vcpuLoop(int hook, int vcpu) {
        port(vcpu);
    }

    /** Every vCPU, dirtying or not, passes here once a slice: the auto-converge throttle point. */
    @Override
    public void vcpuStep(int hook, int vcpu) {
        cpuThrottle.step();
    }

    @Override
    public void migrationStart(int hook, long bandwidthBytesPerSec, long downtimeMillis) {
        if (governor != null) {
            governor.migrationStarted(bandwidthBytesPerSec, downtimeMillis);
        }
    }

    @Override
    public void migrationPass(int hook, long bytesSent, long bytesDirtied) {
        if (governor != null) {
            governor.passCompleted(bytesSent, bytesDirtied);
        }
    }

    @Override
    public void migrationEnd(int hook) {
        if (governor != null) {
            governor.migrationFinished();
        }
    }

    @Override
    public void fault(int hook, Throwable failure) {
        faults.record(hook, failure);
    }

    /** The vCPU a hook call is for: the index it read, else the calling thread's. */
    private VcpuPort port(int vcpu) {
        if (vcpu < 0) {
            return threads.current();
        }
        VcpuPort port = directory.getOrRegister(vcpu);
        if (learnThreads && port != null) {
            threads.learn(port);
        }
        return port;
    }

    /**
     * The failures suppressed in hooks.
     *
     * @return the log
     */
    public FaultLog faults() {
        return faults;
    }

    /**
     * The page trackers of the named address spaces.
     *
     * @return the trackers
     */
    public List<PageTracker> trackers() {
        return trackers;
    }

    /**
     * The object spaces.
     *
     * @return them, or null when no hook names an object space
     */
    public ObjectSpaces objectSpaces() {
        return objectSpaces;
    }

    /**
     * Whether any hook marks pages in the agent's own tracking (so a harvester is needed).
     *
     * @return true with a store hook or a deduplicated dirty-page hook
     */
    public boolean tracksPages() {
        return !trackers.isEmpty() || objectSpaces != null;
    }

    /**
     * The harvest: forgets every dirty page of every address space, named or object (dropping the
     * spaces whose objects were collected).
     *
     * @return how many pages were dirty
     */
    public long harvest() {
        long pages = 0;
        for (PageTracker tracker : trackers) {
            try {
                pages += tracker.harvest();
            } catch (RuntimeException | Error failure) {
                Log.warn("harvesting page tracker '" + tracker.name() + "' failed: " + failure);
            }
        }
        if (objectSpaces != null) {
            pages += objectSpaces.harvest();
        }
        return pages;
    }
}
