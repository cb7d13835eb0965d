/**
 * The migration policy that drives the limiter: the governor (QEMU's dirty-limit capability,
 * auto-converge, and {@code fit}), the trigger rule, the {@code fit} planner and the whole-guest CPU
 * throttle. Pure Java on injected time, so tests and the simulator can drive it on virtual time; a
 * host (the agent) feeds it the emulator's migration events and gives it a
 * {@link io.dirtylimit.core.migration.MigrationGovernor.Target} to set limits through.
 */
package io.dirtylimit.core.migration;
