package io.dirtylimit.agent.profile;

import java.util.ArrayList;
import java.util.List;

/** The errors found in one profile text, each as {@code ORIGIN:LINE: message}; all are collected. */
final class ProfileErrors {
    private final String origin;
    private final List<String> errors = new ArrayList<>();
    /** The line being read, 1-based; 0 for errors about the whole profile. */
    private int line;

    ProfileErrors(String origin) {
        this.origin = origin;
    }

    void atLine(int number) {
        line = number;
    }

    int line() {
        return line;
    }

    void error(String message) {
        errors.add(origin + (line > 0 ? ":" + line : "") + ": " + message);
    }

    int count() {
        return errors.size();
    }

    /** Throws the errors, if any. */
    void throwIfAny() throws ProfileException {
        if (!errors.isEmpty()) {
            throw new ProfileException(errors);
        }
    }
}
