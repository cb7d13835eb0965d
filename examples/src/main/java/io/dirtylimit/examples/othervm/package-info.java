/**
 * "Other VM": a second, deliberately different small emulator, standing for an emulator the
 * dirtylimit agent was not written against. Its guest stores go through an interface
 * ({@link io.dirtylimit.examples.othervm.MemoryBus}) with the guest address in an argument, its
 * vCPU threads are only recognisable by their names ({@code cpu#N worker}), it has no dirty ring,
 * and it prints its own ground-truth dirty rate per CPU once a second. It knows nothing about
 * dirtylimit.
 *
 * <p>{@code --instances I} runs I machines in one JVM, each with its own {@code RamBus} and
 * {@code SystemBus} at the same guest addresses; CPU threads are numbered across instances
 * ({@code cpu#0 worker} to {@code cpu#(I*N-1) worker}), and CPU n of every instance sweeps the same
 * guest address range in its own RAM. Each instance's RAM keeps its own ground truth.
 */
package io.dirtylimit.examples.othervm;
