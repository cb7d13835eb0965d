package io.dirtylimit.examples.toyvm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A statistics counter with one writer at a time (its vCPU, or the holder of a ring's lock) and
 * any number of readers. Writes are ordered (release) stores, no read-modify-write atomics.
 */
final class OrderedCounter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(OrderedCounter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Written plain-read + release-store by the single writer, read with acquire by anyone. */
    @SuppressWarnings("unused")
    private long value;

    void addOrdered(long delta) {
        VALUE.setRelease(this, (long) VALUE.get(this) + delta);
    }

    void incrementOrdered() {
        addOrdered(1);
    }

    long getAcquire() {
        return (long) VALUE.getAcquire(this);
    }
}
