package io.dirtylimit.agent;

/** Malformed agent options; the message is one line meant for the user. */
public final class OptionsException extends Exception {
    /** @param message one line for the user */
    public OptionsException(String message) {
        super(message);
    }
}
