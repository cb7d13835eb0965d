package io.dirtylimit.core;

/**
 * A feedback law that turns one period's measurement of a limited vCPU into its next sleep per
 * throttle point: QEMU's "black box" from the review of the dirty-limit series.
 *
 * <p>The limiter creates one policy instance when the policy is selected and calls it only from the
 * controller (never concurrently); the instance may keep state shared by all its vCPUs (QEMU's
 * controller, for example, remembers the highest rate it ever saw). Per-vCPU state is made by
 * {@link #newState()} when a vCPU's limit is set (or the policy is switched) and handed back on every
 * call for that vCPU until its limit is cancelled.
 *
 * <p>Built-in policies, selected by name with {@link DirtyLimiter#setPolicy}: {@code model} (the
 * default), {@code pi}, {@code linear}, {@code qemu} and {@code v9}. Others can be added with
 * {@link DirtyLimiter.Builder#addPolicy}.
 *
 * @param <S> the per-vCPU state
 */
public interface ThrottlePolicy<S> {

    /** Fresh per-vCPU state, for a vCPU whose limit was just set. */
    S newState();

    /**
     * The sleep per throttle point, in nanoseconds, for the next period. The core clamps the
     * answer to at least 0 and treats NaN as 0.
     *
     * @param input the vCPU's last period
     * @param state this vCPU's state, from {@link #newState()}
     */
    double nextSleepNanos(ThrottleInput input, S state);
}
