package io.dirtylimit.agent;

import java.io.PrintStream;

/**
 * The agent's log: plain lines on the emulator's stderr, prefixed {@code dirtylimit:}. No logging
 * framework, nothing created before the first line is printed.
 */
final class Log {
    /** Levels, most severe first. */
    enum Level {
        OFF, ERROR, WARN, INFO, DEBUG;

        static Level named(String name) {
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

    static void setLevel(Level level) {
        levelVolatile = level;
    }

    static Level level() {
        return levelVolatile;
    }

    static boolean enabled(Level level) {
        return level != Level.OFF && level.ordinal() <= levelVolatile.ordinal();
    }

    static void error(String message) {
        print(Level.ERROR, "error: " + message);
    }

    static void warn(String message) {
        print(Level.WARN, "warning: " + message);
    }

    static void info(String message) {
        print(Level.INFO, message);
    }

    static void debug(String message) {
        print(Level.DEBUG, message);
    }

    /** One line on stderr whatever the level: for malformed options, which must always be seen. */
    static void always(String message) {
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
