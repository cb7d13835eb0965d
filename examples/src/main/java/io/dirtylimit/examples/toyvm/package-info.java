/**
 * The toy emulator: a stand-in for an existing JVM emulator that knows nothing about dirtylimit.
 *
 * <p>Shape, as in KVM-based emulators:
 * <ul>
 *   <li>{@link io.dirtylimit.examples.toyvm.Machine}: guest RAM ({@code GuestMemory}), dirty
 *       tracking ({@code DirtyTracker}), one {@code Vcpu} thread per vCPU, the once-a-second
 *       {@code Reaper}, and at most one running {@code Migration}.</li>
 *   <li>{@code Vcpu}: thread {@code vcpu-N}; {@code run()} interprets the guest program
 *       ({@code Interpreter}, ISA in {@code Op}) in slices and handles each {@code ExitReason}.</li>
 *   <li>Store path: {@code GuestMemory.write64} (data), then {@code PageStates} (first store
 *       since re-protection?), then {@code Vcpu.pageDirtied} pushes into the vCPU's
 *       {@code DirtyRing}; a full ring ends the slice and {@code Vcpu.handleRingFull} harvests it.</li>
 * </ul>
 *
 * <p>Hook points that instrumentation may rely on (names and signatures are a contract):
 * {@code Vcpu.run()}, {@code Vcpu.handleRingFull()}, {@code Vcpu.pageDirtied(long)},
 * {@code Vcpu.index}, {@code GuestMemory.write64(long, long)},
 * {@code Migration.migrationStarted(long, long)},
 * {@code Migration.passCompleted(int, long, long, long)},
 * {@code Migration.migrationFinished(boolean)}.
 */
package io.dirtylimit.examples.toyvm;
