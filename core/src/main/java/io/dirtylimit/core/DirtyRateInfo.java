package io.dirtylimit.core;

import java.time.Duration;
import java.util.List;

/**
 * The answer of {@link DirtyLimiter#calcDirtyRate}, QEMU's calc-dirty-rate in dirty-ring mode.
 *
 * @param window the measurement window actually used
 * @param vcpuRates per-vCPU rates, ordered by cpu index
 * @param totalRate the sum of the per-vCPU rates, MB/s
 */
public record DirtyRateInfo(Duration window, List<VcpuRate> vcpuRates, double totalRate) {

    /**
     * One vCPU's dirty rate.
     *
     * @param cpuIndex the vCPU's index
     * @param rate MB/s over the window
     */
    public record VcpuRate(int cpuIndex, double rate) {}
}
