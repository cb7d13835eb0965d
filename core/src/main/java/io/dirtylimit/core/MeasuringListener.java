package io.dirtylimit.core;

/**
 * Told when a {@link DirtyLimiter} starts or stops needing its vCPUs' page counts: it needs them
 * while some vCPU is limited, a limit for all vCPUs is set, or a {@link DirtyLimiter#calcDirtyRate calc-dirty-rate} window is
 * open. A host whose page counting costs something (an agent's hooks) counts only meanwhile, as
 * QEMU measures dirty rates only while a dirty limit is set.
 */
@FunctionalInterface
public interface MeasuringListener {
    /**
     * Called with the limiter's lock held, once per change, in order. Must return quickly and must
     * not wait for another thread that uses the limiter.
     */
    void measuringChanged(boolean measuring);
}
