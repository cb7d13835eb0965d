package io.dirtylimit.examples.toyvm;

/** A monitor command that cannot be carried out; its message is the reply. */
final class MonitorException extends Exception {
    private static final long serialVersionUID = 1L;

    MonitorException(String message) {
        super(message, null, false, false);
    }
}
