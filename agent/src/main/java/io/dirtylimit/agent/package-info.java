/**
 * The Java agent's life in the emulator's JVM: the entry points ({@code premain}, {@code agentmain}),
 * the options, installing a profile (its parts from the sub-packages), applying new options on a
 * second attach, detaching, the report sent back to the command-line tool, the agent's state and its
 * log. Sub-packages by concern: {@code profile} (the format), {@code instrument} (hooks and bridge
 * injection), {@code runtime} (behind the bridge), {@code control} (the limit service and the MXBean)
 * and {@code tool} (the command-line tool, in its own JVM only). The migration policy lives in the
 * core ({@code io.dirtylimit.core.migration}).
 *
 * <p>Internal, no compatibility promised: the agent options, the profile format, the command line
 * and the MXBean are the interfaces, not these classes.
 */
package io.dirtylimit.agent;
