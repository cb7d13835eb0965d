package io.dirtylimit.agent.fuzz;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A seeded generator of fuzz input and the loop that feeds a parser with it: plain JUnit, fixed
 * seeds, so every build runs the same inputs and a failure names the seed and the input's number.
 *
 * <p>Each parser's fuzz test lives in the parser's package (it may need package-private access)
 * and builds valid input from the grammar as small generator functions, one per form, kept in a
 * list: a new form of the grammar is one more entry. Random text over the grammar's alphabet and
 * small mutations of valid input (a character inserted, deleted or replaced, pieces swapped) reach
 * the error paths.
 */
public final class Fuzz {
    /** Generated inputs per parser: the issue asks for at least 100,000 per parser in the build. */
    public static final int TRIES = 100_000;
    /** Characters that are not plain text: NUL, controls, a surrogate half, other scripts' digits and blanks. */
    private static final String STRANGE = "\0\u0001\t\r\u000B\u00A0\u0085\u2028\uFEFF\uD800\u0663\uFF15\u0130\u0131\\\"'";

    private final SplittableRandom random;

    private Fuzz(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * Runs {@code property} on {@code tries} inputs from {@code input}; a failure names the input.
     *
     * @param seed the generator's seed
     * @param tries how many inputs
     * @param input makes one input from the generator
     * @param property throws on a wrong outcome
     * @param <T> the input's type
     */
    public static <T> void check(long seed, int tries, Function<Fuzz, T> input, Consumer<T> property) {
        // -Ddirtylimit.fuzz.offset=N explores other inputs (the build always runs the fixed seeds).
        seed += Long.getLong("dirtylimit.fuzz.offset", 0);
        Fuzz fuzz = new Fuzz(seed);
        for (int i = 0; i < tries; i++) {
            T value = input.apply(fuzz);
            try {
                property.accept(value);
            } catch (Throwable failure) {
                throw new AssertionError("input " + i + " of seed " + seed + ": " + show(value) + "\n" + failure, failure);
            }
        }
    }

    // ---- choices

    /** @return 0 to {@code bound} - 1 */
    public int below(int bound) {
        return random.nextInt(bound);
    }

    /** @return {@code min} to {@code max}, both included */
    public int between(int min, int max) {
        return (int) random.nextLong(min, (long) max + 1);
    }

    /** @return {@code min} to {@code max}, both included */
    public long between(long min, long max) {
        return max == Long.MAX_VALUE ? min + (random.nextLong() & Long.MAX_VALUE) % (max - min) : random.nextLong(min, max + 1);
    }

    /** @return true with probability {@code p} */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** @return one of {@code choices} */
    @SafeVarargs
    public final <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** @return one of {@code choices} */
    public <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** @return a number that tests limits: 0, 1, -1, the extremes, or anything */
    public long edgyLong() {
        return pick(0L, 1L, -1L, 2L, 255L, 4096L, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE + 1,
                Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong(), random.nextLong(-100_000, 100_000));
    }

    // ---- text

    /** Up to {@code max} blanks (spaces, sometimes a tab). */
    public String blanks(int max) {
        StringBuilder text = new StringBuilder();
        for (int n = below(max + 1); n > 0; n--) {
            text.append(chance(0.8) ? ' ' : '\t');
        }
        return text.toString();
    }

    /** Text of up to {@code maxLength} characters, mostly from {@code alphabet}, with digits, blanks and strange ones. */
    public String text(String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int n = below(maxLength + 1); n > 0; n--) {
            text.append(character(alphabet));
        }
        return text.toString();
    }

    /** A word of {@code min} to {@code max} characters, all from {@code alphabet}. */
    public String word(String alphabet, int min, int max) {
        StringBuilder text = new StringBuilder();
        for (int n = between(min, max); n > 0; n--) {
            text.append(alphabet.charAt(below(alphabet.length())));
        }
        return text.toString();
    }

    /** {@code valid} with one to three small edits. */
    public String mutate(String valid, String alphabet) {
        String text = valid;
        for (int edits = between(1, 3); edits > 0; edits--) {
            int at = below(text.length() + 1);
            switch (below(4)) {
                case 0 -> text = text.substring(0, at) + character(alphabet) + text.substring(at);
                case 1 -> text = at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text;
                case 2 -> text = at < text.length() ? text.substring(0, at) + character(alphabet) + text.substring(at + 1) : text;
                default -> {
                    int other = below(text.length() + 1);
                    int from = Math.min(at, other);
                    int to = Math.max(at, other);
                    text = text.substring(to) + text.substring(from, to) + text.substring(0, from);
                }
            }
        }
        return text;
    }

    /** {@code word} as written, or upper-cased, or capitalised. */
    public String anyCase(String word) {
        return switch (below(3)) {
            case 0 -> word;
            case 1 -> word.toUpperCase(Locale.ROOT);
            default -> word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
        };
    }

    private char character(String alphabet) {
        int kind = below(20);
        if (kind < 12) {
            return alphabet.charAt(below(alphabet.length()));
        } else if (kind < 16) {
            return (char) ('0' + below(10));
        } else if (kind < 18) {
            return ' ';
        } else if (kind < 19) {
            return STRANGE.charAt(below(STRANGE.length()));
        }
        return (char) below(0x10000);
    }

    /** The input, quoted with its unprintable characters escaped, for failure messages. */
    public static String show(Object value) {
        if (value instanceof String[] array) {
            return List.of(array).stream().map(Fuzz::show).toList().toString();
        }
        StringBuilder text = new StringBuilder("'");
        for (char c : String.valueOf(value).toCharArray()) {
            text.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.append('\'').toString();
    }
}
