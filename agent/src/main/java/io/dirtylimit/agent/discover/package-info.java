/**
 * {@code discover} on the emulator's side: temporary counting probes on the emulator's methods,
 * installed by retransformation (advice that calls the bootstrap {@code io.dirtylimit.probe.Probe}),
 * counting calls per method and per thread and sketching the integer arguments (pages touched,
 * ranges, alignment, sizes), then removed with the original bytes restored. The tool
 * ({@code agent.tool.DiscoverCommand}) reads the {@link io.dirtylimit.agent.discover.DiscoverData}
 * and writes the report and the draft profile.
 *
 * <p>Internal, no compatibility promised.
 */
package io.dirtylimit.agent.discover;
