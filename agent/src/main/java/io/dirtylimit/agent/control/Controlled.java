package io.dirtylimit.agent.control;

import io.dirtylimit.agent.instrument.HookReport;
import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.migration.MigrationGovernor;

/** What the MXBean controls: one installed profile's parts (the agent's Installation). */
public interface Controlled {
    /** @return the one limit service */
    LimitService limits();

    /** @return the core's limiter (calc-dirty-rate, period, policy, quantum) */
    DirtyLimiter limiter();

    /** @return the profile's name and origin, e.g. {@code toyvm (builtin:toyvm)} */
    String profile();

    /** @return what the hooks instrument */
    HookReport hooks();

    /** @return failures suppressed in hooks so far */
    long suppressedFailures();

    /** @return the vCPU indexes seen */
    int[] vcpus();

    /** @return the migration governor */
    MigrationGovernor governor();
}
