/** The throttle core: per-vCPU dirty-rate limits, measurement, the controller and its policies. */
package io.dirtylimit.core;
