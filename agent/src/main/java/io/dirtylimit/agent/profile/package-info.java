/**
 * The profile format (docs/profiles.md): how one emulator's vCPU threads are told apart and which
 * of its methods mean what. Read in three steps, the tokenizer, the statements and the hook
 * resolution, into an immutable {@link io.dirtylimit.agent.profile.Profile}; the built-in profiles
 * are resources under {@code io/dirtylimit/agent/profiles/}. Knows nothing about bytecode.
 *
 * <p>Internal, no compatibility promised: the profile text format is the interface, not these classes.
 */
package io.dirtylimit.agent.profile;
