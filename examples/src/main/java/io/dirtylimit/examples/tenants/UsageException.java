package io.dirtylimit.examples.tenants;

/** A bad command line: the message says which option and why. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
