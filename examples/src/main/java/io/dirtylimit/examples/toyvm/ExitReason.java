package io.dirtylimit.examples.toyvm;

/** Why a slice of guest code returned to the vCPU loop, like KVM's exit reasons. */
enum ExitReason {
    /** The slice's instruction budget ran out: check for requests, then re-enter. */
    SLICE_END,
    /** The vCPU's dirty ring is full: harvest it, then re-enter. */
    RING_FULL,
    /** The guest executed PAUSE: idle until the requested time has passed. */
    IDLE,
    /** The guest executed OUT: the emulator's device model handles the port write, then re-enter. */
    IO,
    /** The guest executed HALT. */
    HALT,
    /** The guest did something impossible (bad address, division by zero...). */
    FAULT
}
