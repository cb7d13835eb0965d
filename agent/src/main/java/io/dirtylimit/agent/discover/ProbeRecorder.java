package io.dirtylimit.agent.discover;

import io.dirtylimit.probe.ProbeSink;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * What the probes record, behind {@code io.dirtylimit.probe.Probe}: calls per method and per
 * thread, and, for a sample of the calls, per integer argument the distinct 4 KiB pages its values
 * touch (a {@link PageSketch}), its smallest and largest value and its low bits (alignment), the
 * differences between two integer arguments (a size or an end), the first array argument's length,
 * how many objects receive the calls and each one's argument ranges (guests at the same addresses).
 *
 * <p>Hot path: no lock, no allocation. A thread finds its slot once per call in a 64-entry open
 * addressing table (threads beyond 64 share one overflow slot); its call counters are single-writer
 * (opaque increments), the overflow slot's are atomic. A call is sampled when the hash of its
 * thread's count for the method has no bit of the method's mask set (a hash, not the count itself, so
 * calls that alternate, a store then a doorbell write, are not always sampled on the same side of
 * the pattern); the mask grows when a method is called more
 * often than {@link #SAMPLES_PER_METHOD} times a second (the session's tuner sets it). Sketch
 * updates are compare-and-set loops that only write when a value raises a register, a minimum or a
 * maximum. Loaded only after the probe classes are on the bootstrap class loader (it extends one).
 */
final class ProbeRecorder extends ProbeSink {
    /** Integer arguments recorded per method. */
    static final int INT_PARAMS = 4;
    /** Pairs of integer arguments whose differences are recorded: (0,1) (0,2) (0,3) (1,2) (1,3) (2,3). */
    static final int PAIRS = 6;
    static final int[] PAIR_FIRST = {0, 0, 0, 1, 1, 2};
    static final int[] PAIR_SECOND = {1, 2, 3, 2, 3, 3};
    /** Threads with a slot of their own; the slot at this index is shared by every further thread. */
    static final int THREAD_SLOTS = 64;
    static final int OVERFLOW = THREAD_SLOTS;
    static final int RECEIVER_SLOTS = 8;
    /** Sampled calls a second one method may cost at most. */
    static final double SAMPLES_PER_METHOD = 50_000;
    /** Sampled calls a second all methods together may cost at most. */
    static final double SAMPLES_TOTAL = 1_000_000;
    static final int MAX_INTERVAL = 1 << 20;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle BYTES = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final VarHandle THREADS = MethodHandles.arrayElementVarHandle(Thread[].class);

    private final int methods;
    /** Integer arguments recorded, per method (immutable). */
    private final byte[] intCount;
    private final long[] threadIdsOpaque = new long[THREAD_SLOTS];
    private final Thread[] threadsRelease = new Thread[THREAD_SLOTS];
    /** [slot * methods + method], slot 0..OVERFLOW. */
    private final long[] callsOpaque;
    private final long[] sampledOpaque;
    /** Per method: a call is sampled when (hash(its thread's count) & mask) == 0. */
    private final int[] maskOpaque;
    /** [(method * INT_PARAMS + k) * REGISTERS + register]. */
    private final byte[] registersOpaque;
    /** [method * INT_PARAMS + k]. */
    private final long[] minOpaque;
    private final long[] maxOpaque;
    private final long[] lowBitsOpaque;
    /** [method * PAIRS + pair]: second argument minus first. */
    private final long[] pairMinOpaque;
    private final long[] pairMaxOpaque;
    private final long[] arrayMinOpaque;
    private final long[] arrayMaxOpaque;
    /** [method * RECEIVER_SLOTS + i]: identity hashes of the objects called, 0 = free. */
    private final int[] receiversOpaque;
    private final int[] moreReceiversOpaque;
    /** [(method * RECEIVER_SLOTS + receiver) * INT_PARAMS + k]: each receiver's integer argument range. */
    private final long[] receiverMinOpaque;
    private final long[] receiverMaxOpaque;

    // The tuner's own state (the session thread only).
    private final long[] lastTotals;
    private final int[] largestMask;

    ProbeRecorder(byte[] intCount) {
        this.methods = intCount.length;
        this.intCount = intCount.clone();
        this.callsOpaque = new long[(THREAD_SLOTS + 1) * methods];
        this.sampledOpaque = new long[(THREAD_SLOTS + 1) * methods];
        this.maskOpaque = new int[methods];
        this.registersOpaque = new byte[methods * INT_PARAMS * PageSketch.REGISTERS];
        this.minOpaque = filled(methods * INT_PARAMS, Long.MAX_VALUE);
        this.maxOpaque = filled(methods * INT_PARAMS, Long.MIN_VALUE);
        this.lowBitsOpaque = new long[methods * INT_PARAMS];
        this.pairMinOpaque = filled(methods * PAIRS, Long.MAX_VALUE);
        this.pairMaxOpaque = filled(methods * PAIRS, Long.MIN_VALUE);
        this.arrayMinOpaque = filled(methods, Long.MAX_VALUE);
        this.arrayMaxOpaque = filled(methods, Long.MIN_VALUE);
        this.receiversOpaque = new int[methods * RECEIVER_SLOTS];
        this.moreReceiversOpaque = new int[methods];
        this.receiverMinOpaque = filled(methods * RECEIVER_SLOTS * INT_PARAMS, Long.MAX_VALUE);
        this.receiverMaxOpaque = filled(methods * RECEIVER_SLOTS * INT_PARAMS, Long.MIN_VALUE);
        this.lastTotals = new long[methods];
        this.largestMask = new int[methods];
    }

    private static long[] filled(int length, long value) {
        long[] array = new long[length];
        Arrays.fill(array, value);
        return array;
    }

    // ---- hot path

    @Override
    public void call(int method, long a0, long a1, long a2, long a3, Object array, Object self) {
        if (method < 0 || method >= methods) {
            return;
        }
        int slot = threadSlot();
        int cell = slot * methods + method;
        long count = increment(callsOpaque, cell, slot);
        int mask = (int) INTS.getOpaque(maskOpaque, method);
        if (mask != 0 && (PageSketch.hash(count) & mask) != 0) {
            return;
        }
        increment(sampledOpaque, cell, slot);
        int ints = intCount[method];
        for (int k = 0; k < ints; k++) {
            recordValue(method * INT_PARAMS + k, pick(k, a0, a1, a2, a3));
        }
        for (int p = 0; p < PAIRS && PAIR_SECOND[p] < ints; p++) {
            long difference = pick(PAIR_SECOND[p], a0, a1, a2, a3) - pick(PAIR_FIRST[p], a0, a1, a2, a3);
            lower(pairMinOpaque, method * PAIRS + p, difference);
            raise(pairMaxOpaque, method * PAIRS + p, difference);
        }
        if (array != null) {
            int length = Array.getLength(array);
            lower(arrayMinOpaque, method, length);
            raise(arrayMaxOpaque, method, length);
        }
        if (self != null) {
            int receiver = recordReceiver(method, self);
            for (int k = 0; k < ints && receiver >= 0; k++) {
                int range = (method * RECEIVER_SLOTS + receiver) * INT_PARAMS + k;
                long value = pick(k, a0, a1, a2, a3);
                lower(receiverMinOpaque, range, value);
                raise(receiverMaxOpaque, range, value);
            }
        }
    }

    private int threadSlot() {
        Thread current = Thread.currentThread();
        @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
        long id = current.getId();
        int start = (int) (PageSketch.hash(id) & (THREAD_SLOTS - 1));
        for (int i = 0; i < THREAD_SLOTS; i++) {
            int slot = (start + i) & (THREAD_SLOTS - 1);
            long owner = (long) LONGS.getOpaque(threadIdsOpaque, slot);
            if (owner == id) {
                return slot;
            }
            if (owner == 0 && LONGS.compareAndSet(threadIdsOpaque, slot, 0L, id)) {
                THREADS.setRelease(threadsRelease, slot, current);
                return slot;
            }
        }
        return OVERFLOW;
    }

    /** Single writer per thread slot; the overflow slot is shared, so atomic. */
    private static long increment(long[] counters, int cell, int slot) {
        if (slot == OVERFLOW) {
            return (long) LONGS.getAndAdd(counters, cell, 1L) + 1;
        }
        long next = (long) LONGS.getOpaque(counters, cell) + 1;
        LONGS.setOpaque(counters, cell, next);
        return next;
    }

    private static long pick(int k, long a0, long a1, long a2, long a3) {
        return switch (k) {
            case 0 -> a0;
            case 1 -> a1;
            case 2 -> a2;
            default -> a3;
        };
    }

    private void recordValue(int sketch, long value) {
        lower(minOpaque, sketch, value);
        raise(maxOpaque, sketch, value);
        long low = value & ((1L << PageSketch.PAGE_SHIFT) - 1);
        long bits = (long) LONGS.getOpaque(lowBitsOpaque, sketch);
        if ((bits | low) != bits) {
            LONGS.getAndBitwiseOr(lowBitsOpaque, sketch, low);
        }
        long hash = PageSketch.hash(value >> PageSketch.PAGE_SHIFT);
        int register = sketch * PageSketch.REGISTERS + PageSketch.register(hash);
        byte rank = (byte) PageSketch.rank(hash);
        byte current = (byte) BYTES.getOpaque(registersOpaque, register);
        while (rank > current && !BYTES.compareAndSet(registersOpaque, register, current, rank)) {
            current = (byte) BYTES.getOpaque(registersOpaque, register);
        }
    }

    private static void lower(long[] minima, int cell, long value) {
        long current = (long) LONGS.getOpaque(minima, cell);
        while (value < current && !LONGS.compareAndSet(minima, cell, current, value)) {
            current = (long) LONGS.getOpaque(minima, cell);
        }
    }

    private static void raise(long[] maxima, int cell, long value) {
        long current = (long) LONGS.getOpaque(maxima, cell);
        while (value > current && !LONGS.compareAndSet(maxima, cell, current, value)) {
            current = (long) LONGS.getOpaque(maxima, cell);
        }
    }

    /** The receiver's slot among the method's first {@link #RECEIVER_SLOTS}, or -1 for a further one. */
    private int recordReceiver(int method, Object self) {
        int hash = System.identityHashCode(self);
        int key = hash == 0 ? 1 : hash;
        int base = method * RECEIVER_SLOTS;
        for (int i = 0; i < RECEIVER_SLOTS; i++) {
            int seen = (int) INTS.getOpaque(receiversOpaque, base + i);
            if (seen == key) {
                return i;
            }
            if (seen == 0) {
                if (INTS.compareAndSet(receiversOpaque, base + i, 0, key)) {
                    return i;
                }
                if ((int) INTS.getOpaque(receiversOpaque, base + i) == key) {
                    return i;
                }
            }
        }
        if ((int) INTS.getOpaque(moreReceiversOpaque, method) == 0) {
            INTS.setOpaque(moreReceiversOpaque, method, 1);
        }
        return -1;
    }

    // ---- the session thread: sampling and reading

    /**
     * Sets each method's sampling interval from its call rate over the last {@code seconds}: at most
     * {@link #SAMPLES_PER_METHOD} sampled calls a second per method and {@link #SAMPLES_TOTAL} in all.
     */
    void tune(double seconds) {
        double[] wanted = new double[methods];
        double total = 0;
        for (int m = 0; m < methods; m++) {
            long calls = calls(m);
            double rate = (calls - lastTotals[m]) / seconds;
            lastTotals[m] = calls;
            wanted[m] = Math.max(1, rate / SAMPLES_PER_METHOD);
            total += rate / wanted[m];
        }
        double squeeze = Math.max(1, total / SAMPLES_TOTAL);
        for (int m = 0; m < methods; m++) {
            int interval = 1;
            while (interval < wanted[m] * squeeze && interval < MAX_INTERVAL) {
                interval <<= 1;
            }
            INTS.setOpaque(maskOpaque, m, interval - 1);
            largestMask[m] = Math.max(largestMask[m], interval - 1);
        }
    }

    int methods() {
        return methods;
    }

    /** The largest sampling interval method {@code m} had: 1 = every call. */
    long sampledOneIn(int m) {
        return largestMask[m] + 1L;
    }

    long calls(int m) {
        long sum = 0;
        for (int slot = 0; slot <= OVERFLOW; slot++) {
            sum += calls(slot, m);
        }
        return sum;
    }

    long calls(int slot, int m) {
        return (long) LONGS.getOpaque(callsOpaque, slot * methods + m);
    }

    long sampled(int m) {
        long sum = 0;
        for (int slot = 0; slot <= OVERFLOW; slot++) {
            sum += (long) LONGS.getOpaque(sampledOpaque, slot * methods + m);
        }
        return sum;
    }

    /** The thread owning {@code slot}, or null (free, or the overflow slot). */
    Thread thread(int slot) {
        return slot >= THREAD_SLOTS ? null : (Thread) THREADS.getAcquire(threadsRelease, slot);
    }

    long threadId(int slot) {
        return slot >= THREAD_SLOTS ? -1 : (long) LONGS.getOpaque(threadIdsOpaque, slot);
    }

    /** Read once the sink is swapped out (plain reads; a call still finishing may or may not be in). */
    long pages(int m, int k) {
        return PageSketch.estimate(registersOpaque, (m * INT_PARAMS + k) * PageSketch.REGISTERS);
    }

    long min(int m, int k) {
        return (long) LONGS.getOpaque(minOpaque, m * INT_PARAMS + k);
    }

    long max(int m, int k) {
        return (long) LONGS.getOpaque(maxOpaque, m * INT_PARAMS + k);
    }

    long lowBits(int m, int k) {
        return (long) LONGS.getOpaque(lowBitsOpaque, m * INT_PARAMS + k);
    }

    long pairMin(int m, int p) {
        return (long) LONGS.getOpaque(pairMinOpaque, m * PAIRS + p);
    }

    long pairMax(int m, int p) {
        return (long) LONGS.getOpaque(pairMaxOpaque, m * PAIRS + p);
    }

    long arrayMin(int m) {
        return (long) LONGS.getOpaque(arrayMinOpaque, m);
    }

    long arrayMax(int m) {
        return (long) LONGS.getOpaque(arrayMaxOpaque, m);
    }

    /** Integer argument {@code k}'s smallest value in calls on receiver {@code r} (Long.MAX_VALUE: none sampled). */
    long receiverMin(int m, int r, int k) {
        return (long) LONGS.getOpaque(receiverMinOpaque, (m * RECEIVER_SLOTS + r) * INT_PARAMS + k);
    }

    long receiverMax(int m, int r, int k) {
        return (long) LONGS.getOpaque(receiverMaxOpaque, (m * RECEIVER_SLOTS + r) * INT_PARAMS + k);
    }

    /** Distinct objects that received the calls: 0 (static, or none sampled) to {@link #RECEIVER_SLOTS}, or that + 1 for more. */
    int receivers(int m) {
        int n = 0;
        for (int i = 0; i < RECEIVER_SLOTS; i++) {
            if ((int) INTS.getOpaque(receiversOpaque, m * RECEIVER_SLOTS + i) != 0) {
                n++;
            }
        }
        return n + ((int) INTS.getOpaque(moreReceiversOpaque, m) != 0 ? 1 : 0);
    }
}
