package io.dirtylimit.agent.control;

import io.dirtylimit.agent.instrument.HookReport;
import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.Profiles;
import io.dirtylimit.agent.runtime.CoreThrottle;
import io.dirtylimit.agent.runtime.VcpuDirectory;
import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.migration.CpuThrottle;
import io.dirtylimit.core.migration.MigrationGovernor;
import java.util.List;

/** A real installation's control parts, without hooks: what the MXBean calls into. */
final class ControlParts implements Controlled {
    static final int MAX_VCPUS = 1024;
    final CoreThrottle throttle;
    final VcpuDirectory directory;
    final LimitService limits;
    final MigrationGovernor governor;

    ControlParts() {
        try {
            Profile profile = Profiles.load("toyvm");
            throttle = CoreThrottle.create(profile, null, null, null, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        directory = new VcpuDirectory(throttle, MAX_VCPUS);
        limits = new LimitService(throttle, directory);
        directory.onRegistered(limits::vcpuRegistered);
        governor = new MigrationGovernor(limits, CpuThrottle.realTime(), System::nanoTime, 4096, event -> { });
        io.dirtylimit.agent.runtime.FakeThrottle.see(directory, 0, 1, 2, 5, 63);
    }

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
        return "toyvm (builtin:toyvm)";
    }

    @Override
    public HookReport hooks() {
        return new HookReport(List.of());
    }

    @Override
    public long suppressedFailures() {
        return 0;
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
