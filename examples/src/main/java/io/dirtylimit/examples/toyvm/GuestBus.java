package io.dirtylimit.examples.toyvm;

/** What the interpreter sees of its vCPU: memory, dirty tracking behind stores, the guest clock. */
interface GuestBus {
    long load(long address);

    /** Stores a word; true when the vCPU must leave guest code with a ring-full exit. */
    boolean store(long address, long value);

    long clockNanos();
}
