/**
 * Control in the emulator's JVM: the one limit service through which every limit is set, changed
 * or cancelled (agent options, the MXBean and with it the command-line tool, the migration
 * governor), the {@code limit=} syntax, and the MXBean {@code io.dirtylimit:type=DirtyLimit} with its
 * lazy registration.
 *
 * <p>Internal, no compatibility promised: the MXBean's operations and attributes (docs/cli.md) are
 * the interface, not these classes.
 */
package io.dirtylimit.agent.control;
