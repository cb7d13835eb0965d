/**
 * Instrumentation: each hook line of the profile becomes one unit (a type matcher, a method matcher
 * and static advice that makes one call into the bootstrap bridge), installed with one Byte Buddy
 * AgentBuilder by retransformation without class-format changes and restored exactly on detach; the
 * report of what each unit instruments or refused; and the injection of the bridge classes into the
 * bootstrap class loader.
 *
 * <p>Internal, no compatibility promised.
 */
package io.dirtylimit.agent.instrument;
