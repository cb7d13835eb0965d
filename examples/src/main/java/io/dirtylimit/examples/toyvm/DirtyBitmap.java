package io.dirtylimit.examples.toyvm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** One bit per guest page, set and taken atomically by any number of threads. */
final class DirtyBitmap {
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private final long pages;
    /** Accessed only through WORD (volatile / atomic read-modify-write). */
    private final long[] words;

    DirtyBitmap(long pages) {
        this.pages = pages;
        this.words = new long[Math.toIntExact((pages + 63) >>> 6)];
    }

    long pages() {
        return pages;
    }

    void setVolatile(long page) {
        int i = (int) (page >>> 6);
        long bit = 1L << page;
        if (((long) WORD.getVolatile(words, i) & bit) == 0) {
            WORD.getAndBitwiseOr(words, i, bit);
        }
    }

    boolean getVolatile(long page) {
        return ((long) WORD.getVolatile(words, (int) (page >>> 6)) & (1L << page)) != 0;
    }

    long countVolatile() {
        long count = 0;
        for (int i = 0; i < words.length; i++) {
            count += Long.bitCount((long) WORD.getVolatile(words, i));
        }
        return count;
    }

    /** Atomically takes (clears and returns) word {@code i}: pages {@code 64 i .. 64 i + 63}. */
    long takeWord(int i) {
        return (long) WORD.getVolatile(words, i) == 0 ? 0 : (long) WORD.getAndSet(words, i, 0L);
    }

    /** Atomically sets the {@code bits} of word {@code i}. */
    void orWord(int i, long bits) {
        WORD.getAndBitwiseOr(words, i, bits);
    }

    /** Atomically takes every set bit (clearing it) into {@code into}, a plain bitmap of the same size. */
    void takeInto(long[] into) {
        for (int i = 0; i < words.length; i++) {
            into[i] |= takeWord(i);
        }
    }

    int wordCount() {
        return words.length;
    }
}
