package io.dirtylimit.agent.instrument;

/**
 * The bootstrap bridge already in the JVM (an earlier agent's; it can never be unloaded) is another
 * version than this agent's: nothing may be installed. The message is one line for the user.
 */
public final class IncompatibleBridgeException extends Exception {
    /** @param message one line for the user */
    IncompatibleBridgeException(String message) {
        super(message, null, false, false);
    }
}
