package io.dirtylimit.agent.profile;

import java.time.Duration;
import java.util.List;

/**
 * A parsed profile: how the agent recognises one emulator's vCPUs and which of its methods mean
 * what. See {@link ProfileParser} and docs/profiles.md for the text format.
 *
 * @param name the profile's name
 * @param origin where it came from ({@code builtin:toyvm} or a file path), used in messages
 * @param text the profile's text, to tell whether a second attach names the same profile
 * @param pageSize guest page size in bytes, a power of two
 * @param vcpuRule how a thread is known to be vCPU N
 * @param ringSize pages each ring-full call accounts for (0: pages are counted by other hooks)
 * @param quantum pages between throttle points suggested for this emulator, or null for the core's default
 * @param harvest how often the agent's own page tracking forgets which pages were dirtied
 * @param maxVcpus vCPU indexes accepted are 0 to maxVcpus - 1
 * @param hooks the hook lines, in order
 * @param unitCredit with {@code vcpu-id space}: the credit of its quota a unit keeps while it waits
 *     for one of the runtime's shared threads ({@code unit-credit}); null otherwise
 */
public record Profile(
        String name,
        String origin,
        String text,
        int pageSize,
        VcpuRule vcpuRule,
        int ringSize,
        Integer quantum,
        Duration harvest,
        int maxVcpus,
        List<HookSpec> hooks,
        Duration unitCredit) {

    /**
     * The page size as a shift.
     *
     * @return log2 of the page size
     */
    public int pageShift() {
        return Integer.numberOfTrailingZeros(pageSize);
    }
}
