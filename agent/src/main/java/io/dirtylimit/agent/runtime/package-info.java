/**
 * What runs behind the bridge in the emulator: the handler switch (dispatcher while page counts are
 * needed, idle handler otherwise, the test-only fault injector around either), the dispatcher (hot
 * path from a hook call to the core's vCPU, and the migration hooks to the core's governor), the
 * thread-to-vCPU identity, the vCPU directory, the agent's own page tracking and its harvester, and
 * the seam to the throttle core. The hot path takes no lock and allocates nothing.
 *
 * <p>Internal, no compatibility promised.
 */
package io.dirtylimit.agent.runtime;
