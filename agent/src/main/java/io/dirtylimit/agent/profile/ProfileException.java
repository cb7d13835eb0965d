package io.dirtylimit.agent.profile;

import java.util.List;

/** A profile that cannot be used; each error names the file and the line ({@code FILE:LINE: message}). */
public final class ProfileException extends Exception {
    private final List<String> errors;

    ProfileException(List<String> errors) {
        super(String.join(System.lineSeparator(), errors));
        this.errors = List.copyOf(errors);
    }

    ProfileException(String error) {
        this(List.of(error));
    }

    /**
     * The errors, one per line of the message.
     *
     * @return {@code FILE:LINE: message} lines
     */
    public List<String> errors() {
        return errors;
    }
}
