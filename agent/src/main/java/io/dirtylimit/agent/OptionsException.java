package io.dirtylimit.agent;

/** Malformed agent options; the message is one line meant for the user. */
public final class OptionsException extends Exception {
    /** @param message for the user; line breaks and other control characters in it are escaped */
    public OptionsException(String message) {
        super(oneLine(message));
    }

    /**
     * {@code text} on one line: line breaks and other control characters (which an echoed input may
     * carry) written as {@code \n}, {@code \r} or {@code \}{@code uXXXX}, so a message never forges
     * a second line in a log or a report.
     *
     * @param text any text
     * @return the text, one line
     */
    public static String oneLine(String text) {
        StringBuilder line = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else if ((c < 0x20 && c != '\t') || c == 0x7F || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                line.append(String.format("\\u%04x", (int) c));
            } else {
                line.append(c);
            }
        }
        return line.toString();
    }
}
