/**
 * The deterministic simulator: the real limiter, controller, policies and vCPU hot path against
 * simulated vCPUs on virtual time. Run {@link io.dirtylimit.core.sim.Simulate}.
 */
package io.dirtylimit.core.sim;
