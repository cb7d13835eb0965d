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
 *   <li>Port I/O: the guest's {@code OUT} ends the slice with an IO exit; the vCPU's one device,
 *       port {@code 0xd0}, is where the {@code once} workload reports its pass, and the vCPU
 *       prints {@code vcpu N: wrote SIZE MiB once in SECONDS s} on stdout.</li>
 * </ul>
 *
 * <p>Workloads ({@code WorkloadKind}, {@code GuestPrograms}): seq, random, bursty, compute,
 * copy, warmup (1/50 of its rate for its first 2 s, like a JIT warming up, then its rate) and
 * once (its region once, then compute).
 *
 * <p>Hook points that instrumentation may rely on (names and signatures are a contract):
 * {@code Vcpu.run()}, {@code Vcpu.handleRingFull()}, {@code Vcpu.pageDirtied(long)},
 * {@code Vcpu.index}, {@code GuestMemory.write64(long, long)},
 * {@code Migration.migrationStarted(long, long)},
 * {@code Migration.passCompleted(int, long, long, long)},
 * {@code Migration.migrationFinished(boolean)}.
 */
package io.dirtylimit.examples.toyvm;
