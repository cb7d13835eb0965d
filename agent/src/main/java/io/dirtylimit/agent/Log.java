package io.dirtylimit.agent;

import java.io.PrintStream;

/**
 * The agent's log, used by every package on the emulator's side: plain lines on the emulator's
 * stderr, prefixed {@code dirtylimit:}. No logging framework, nothing created before the first
 * line is printed. Internal.
 */
public final class Log {
    /** Levels, most severe first. */
    public enum Level {
        /** Nothing but {@link Log#always}. */
        OFF,
        /** Errors only. */
        ERROR,
        /** Errors and warnings (the default). */
        WARN,
        /** What was hooked, vCPUs seen, migration steps. */
        INFO,
        /** Everything. */
        DEBUG;

        /**
         * The level named {@code name}, ignoring case.
         *
         * @param name a level's name
         * @return the level, or null
         */
        public static Level named(String name) {
            for (Level level : values()) {
                if (level.name().equalsIgnoreCase(name.trim())) {
                    return level;
                }
            }
            return null;
        }
    }

    private static volatile Level levelVolatile = Level.WARN;

    private Log() {}

    /** @param level the new level */
    public static void setLevel(Level level) {
        levelVolatile = level;
    }

    private static boolean enabled(Level level) {
        return level != Level.OFF && level.ordinal() <= levelVolatile.ordinal();
    }

    /** @param message printed as {@code dirtylimit: error: MESSAGE} */
    public static void error(String message) {
        print(Level.ERROR, "error: " + message);
    }

    /** @param message printed as {@code dirtylimit: warning: MESSAGE} */
    public static void warn(String message) {
        print(Level.WARN, "warning: " + message);
    }

    /** @param message printed at level info */
    public static void info(String message) {
        print(Level.INFO, message);
    }

    /** @param message printed at level debug */
    public static void debug(String message) {
        print(Level.DEBUG, message);
    }

    /** One line on stderr whatever the level: for malformed options, which must always be seen. */
    public static void always(String message) {
        stderr().println("dirtylimit: " + message);
    }

    private static void print(Level level, String message) {
        if (enabled(level)) {
            stderr().println("dirtylimit: " + message);
        }
    }

    private static PrintStream stderr() {
        return System.err;
    }
}
