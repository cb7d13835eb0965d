package io.dirtylimit.core;

/**
 * The core's logger, created on first use only. The core is built inside an agent's premain,
 * and creating a System.Logger there would initialise java.util.logging before the emulator is up
 * (a trap that has broken application servers); nothing is logged on a healthy run.
 */
final class CoreLog {
    private CoreLog() {}

    private static final class Holder {
        static final System.Logger LOGGER = System.getLogger("io.dirtylimit.core");
    }

    /** Logs a warning; never throws (a failure to log, an out-of-memory error say, is dropped). */
    static void warn(String message, Throwable cause) {
        try {
            Holder.LOGGER.log(System.Logger.Level.WARNING, message, cause);
        } catch (Throwable ignored) {
            // nothing more can be done: the caller must go on
        }
    }
}
