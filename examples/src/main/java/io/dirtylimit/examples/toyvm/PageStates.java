package io.dirtylimit.examples.toyvm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-page write protection, as KVM keeps it for dirty tracking: a CLEAN page is
 * write-protected (its next store is reported), a DIRTY page has been reported and is not
 * reported again until a harvester re-protects it.
 *
 * <p>The protocol is Dekker style, so a concurrent harvest never loses a store:
 * <ul>
 *   <li>store side: write the data, full fence, then {@link #claimAfterStore}: a CAS
 *       CLEAN to DIRTY; the one winner reports the page;</li>
 *   <li>harvest side: {@link #reprotectVolatile} each harvested page, then a full fence, and
 *       only then hand the page to whoever copies it (see {@link DirtyTracker}).</li>
 * </ul>
 * Either the storing vCPU sees CLEAN and reports the page again, or the copier sees the new
 * data. The CAS keeps a page in at most one ring at a time.
 */
final class PageStates {
    static final byte CLEAN = 0;
    static final byte DIRTY = 1;

    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(byte[].class);

    /** Accessed only through STATE, volatile or CAS; two-plus threads per element. */
    private final byte[] states;

    PageStates(long pages) {
        this.states = new byte[Math.toIntExact(pages)];
    }

    long pages() {
        return states.length;
    }

    /**
     * Store path, after the data write: true exactly once per page between re-protections,
     * for the caller that must report the page. Lock-free, allocation-free.
     */
    boolean claimAfterStore(long page) {
        int i = (int) page;
        VarHandle.fullFence(); // order the data store before the state load (Dekker)
        return (byte) STATE.getVolatile(states, i) == CLEAN && STATE.compareAndSet(states, i, CLEAN, DIRTY);
    }

    /** Harvest path: write-protect the page again; the caller fences before copying data. */
    void reprotectVolatile(long page) {
        STATE.setVolatile(states, (int) page, CLEAN);
    }

    boolean isDirtyVolatile(long page) {
        return (byte) STATE.getVolatile(states, (int) page) == DIRTY;
    }
}
