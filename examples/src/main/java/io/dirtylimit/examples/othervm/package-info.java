/**
 * "Other VM": a second, deliberately different small emulator, standing for an emulator the
 * dirtylimit agent was not written against. Its guest stores go through an interface
 * ({@link io.dirtylimit.examples.othervm.MemoryBus}) with the guest address in an argument, its
 * vCPU threads are only recognisable by their names ({@code cpu#N worker}), it has no dirty ring,
 * and it prints its own ground-truth dirty rate per CPU once a second. It knows nothing about
 * dirtylimit.
 */
package io.dirtylimit.examples.othervm;
