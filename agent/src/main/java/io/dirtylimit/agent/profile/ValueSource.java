package io.dirtylimit.agent.profile;

/**
 * Where a hook takes a value from: the calling thread (vCPU identity only), an argument of the
 * hooked method, a field of {@code this}, a constant, or the length of an array argument.
 */
public record ValueSource(Kind kind, int arg, String field, long constant) {

    /** Where the value comes from. */
    public enum Kind {
        /** The calling thread (a vCPU index only: {@code Bridge.BY_THREAD}). */
        THREAD,
        /** Argument {@code arg}. */
        ARG,
        /** Field {@code field} of {@code this} (or a static field). */
        FIELD,
        /** The number {@code constant}. */
        CONSTANT,
        /** The length of array argument {@code arg}. */
        ARRAY_LENGTH
    }

    /** The calling thread. */
    public static final ValueSource THREAD = new ValueSource(Kind.THREAD, -1, null, 0);

    /**
     * @param index the argument, from 0
     * @return the source
     */
    public static ValueSource arg(int index) {
        return new ValueSource(Kind.ARG, index, null, 0);
    }

    /**
     * @param name the field of {@code this}
     * @return the source
     */
    public static ValueSource field(String name) {
        return new ValueSource(Kind.FIELD, -1, name, 0);
    }

    /**
     * @param value the constant
     * @return the source
     */
    public static ValueSource constant(long value) {
        return new ValueSource(Kind.CONSTANT, -1, null, value);
    }

    /**
     * @param index the array argument, from 0
     * @return the source
     */
    public static ValueSource arrayLength(int index) {
        return new ValueSource(Kind.ARRAY_LENGTH, index, null, 0);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case THREAD -> "thread";
            case ARG -> "arg" + arg;
            case FIELD -> "this." + field;
            case CONSTANT -> Long.toString(constant);
            case ARRAY_LENGTH -> "length(arg" + arg + ")";
        };
    }
}
