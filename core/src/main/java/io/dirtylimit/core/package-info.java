/**
 * The throttle core: per-vCPU dirty-rate limits, measurement, the controller and its policies.
 *
 * <p>Start with {@link io.dirtylimit.core.DirtyLimiter} (the QEMU-named API) and
 * {@link io.dirtylimit.core.Vcpu} (the hot path a vCPU thread calls). Policies implement
 * {@link io.dirtylimit.core.ThrottlePolicy}. The deterministic simulator is in
 * {@code io.dirtylimit.core.sim}.
 */
package io.dirtylimit.core;
