package io.dirtylimit.agent;

/**
 * Where a hook takes a value from: the calling thread (vCPU identity only), an argument of the
 * hooked method, a field of {@code this}, a constant, or the length of an array argument.
 */
record ValueSource(Kind kind, int arg, String field, long constant) {

    enum Kind { THREAD, ARG, FIELD, CONSTANT, ARRAY_LENGTH }

    static final ValueSource THREAD = new ValueSource(Kind.THREAD, -1, null, 0);

    static ValueSource arg(int index) {
        return new ValueSource(Kind.ARG, index, null, 0);
    }

    static ValueSource field(String name) {
        return new ValueSource(Kind.FIELD, -1, name, 0);
    }

    static ValueSource constant(long value) {
        return new ValueSource(Kind.CONSTANT, -1, null, value);
    }

    static ValueSource arrayLength(int index) {
        return new ValueSource(Kind.ARRAY_LENGTH, index, null, 0);
    }

    /** The argument this source reads, or -1. */
    int argIndex() {
        return kind == Kind.ARG || kind == Kind.ARRAY_LENGTH ? arg : -1;
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
