package io.dirtylimit.examples.toyvm;

/** Bad command-line input; the message names the option and says what is wrong. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
