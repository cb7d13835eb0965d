package io.dirtylimit.agent;

/** Malformed agent options; the message is one line meant for the user. */
final class OptionsException extends Exception {
    OptionsException(String message) {
        super(message);
    }
}
