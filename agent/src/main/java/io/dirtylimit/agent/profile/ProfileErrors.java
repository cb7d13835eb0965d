package io.dirtylimit.agent.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * The errors found in one profile text, each as {@code ORIGIN:LINE: message}, on one line (control
 * characters an echoed token may carry are escaped); all are collected.
 */
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
        errors.add(oneLine(origin + (line > 0 ? ":" + line : "") + ": " + message));
    }

    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || c == 0x7F || c == '\u0085' || c == '\u2028' || c == '\u2029';
            out.append(control ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
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
