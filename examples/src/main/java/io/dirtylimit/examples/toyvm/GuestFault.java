package io.dirtylimit.examples.toyvm;

/** A guest error the vCPU cannot continue from (bad address, division by zero, pc out of range). */
final class GuestFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GuestFault(String message) {
        super(message, null, false, false);
    }
}
