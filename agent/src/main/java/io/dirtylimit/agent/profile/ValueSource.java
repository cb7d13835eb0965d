package io.dirtylimit.agent.profile;

/**
 * Where a hook takes a value from: the calling thread (vCPU identity only), an argument of the
 * hooked method, a field of {@code this}, {@code this} itself (an address-space object), a
 * constant, or the length of an array argument; then optionally scaled ({@code *K}, {@code /K}
 * rounded up, {@code 1<<value}).
 *
 * @param kind where the value comes from
 * @param arg the argument (ARG, ARRAY_LENGTH), from 0, else -1
 * @param field the field of {@code this} (FIELD), else null
 * @param constant the number (CONSTANT)
 * @param scale how the value read is turned into the value passed
 * @param factor the constant of {@link Scale#MULTIPLY} and {@link Scale#DIVIDE_UP}, else 1
 * @param unsigned whether an integer narrower than long is read as unsigned (addresses and page
 *     numbers, unless the profile says {@code signed(argN)})
 */
public record ValueSource(Kind kind, int arg, String field, long constant, Scale scale, long factor, boolean unsigned) {

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
        ARRAY_LENGTH,
        /** The hooked object itself (an address space). */
        THIS
    }

    /** How the value read becomes the value passed (sizes in bits, as a log2, in units of K bytes). */
    public enum Scale {
        /** As read. */
        NONE,
        /** Times {@code factor}: {@code arg2*4}. */
        MULTIPLY,
        /** Divided by {@code factor}, rounded up: {@code arg2/8} (a 4-bit store still writes a byte). */
        DIVIDE_UP,
        /** One shifted left by the value: {@code 1<<arg3} (a size given as log2, 0 to 62). */
        SHIFT_ONE
    }

    /** The calling thread. */
    public static final ValueSource THREAD = new ValueSource(Kind.THREAD, -1, null, 0, Scale.NONE, 1, false);

    /** The hooked object. */
    public static final ValueSource THIS = new ValueSource(Kind.THIS, -1, null, 0, Scale.NONE, 1, false);

    /**
     * @param index the argument, from 0
     * @return the source
     */
    public static ValueSource arg(int index) {
        return new ValueSource(Kind.ARG, index, null, 0, Scale.NONE, 1, false);
    }

    /**
     * @param name the field of {@code this}
     * @return the source
     */
    public static ValueSource field(String name) {
        return new ValueSource(Kind.FIELD, -1, name, 0, Scale.NONE, 1, false);
    }

    /**
     * @param value the constant
     * @return the source
     */
    public static ValueSource constant(long value) {
        return new ValueSource(Kind.CONSTANT, -1, null, value, Scale.NONE, 1, false);
    }

    /**
     * @param index the array argument, from 0
     * @return the source
     */
    public static ValueSource arrayLength(int index) {
        return new ValueSource(Kind.ARRAY_LENGTH, index, null, 0, Scale.NONE, 1, false);
    }

    /**
     * This source, scaled.
     *
     * @param how the scale
     * @param by its constant (1 for SHIFT_ONE)
     * @return the scaled source
     */
    public ValueSource scaled(Scale how, long by) {
        return new ValueSource(kind, arg, field, constant, how, by, unsigned);
    }

    /**
     * This source, an integer narrower than long read as unsigned or not.
     *
     * @param zeroExtend true for unsigned
     * @return the source
     */
    public ValueSource withUnsigned(boolean zeroExtend) {
        return new ValueSource(kind, arg, field, constant, scale, factor, zeroExtend);
    }

    @Override
    public String toString() {
        String base = switch (kind) {
            case THREAD -> "thread";
            case ARG -> "arg" + arg;
            case FIELD -> "this." + field;
            case CONSTANT -> Long.toString(constant);
            case ARRAY_LENGTH -> "length(arg" + arg + ")";
            case THIS -> "this";
        };
        return switch (scale) {
            case NONE -> base;
            case MULTIPLY -> base + "*" + factor;
            case DIVIDE_UP -> base + "/" + factor;
            case SHIFT_ONE -> "1<<" + base;
        };
    }
}
