package io.dirtylimit.examples.toyvm;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The VM's dirty-page tracking: page protection, the dirty log of ring-less mode, and the VM
 * dirty bitmap that harvests feed and migration takes.
 *
 * <p>A harvest takes pages from a ring (or from the dirty log), re-protects them, fences, and
 * only then publishes them in the VM bitmap. Whoever takes a page from the VM bitmap (migration,
 * on any thread) therefore copies it after its re-protection, and so sees every store that the
 * re-protection did not catch (see {@link PageStates}). Publishing before re-protecting would
 * let a copy run before the re-protection and miss a store made in between.
 */
final class DirtyTracker implements DirtyRing.Harvester {
    private final PageStates states;
    private final DirtyBitmap vmBitmap;
    /** Ring-less mode only: KVM's dirty log, set by the storing vCPU. */
    private final DirtyBitmap dirtyLog;
    /** Serializes log syncs, as a ring's lock serializes its harvests. */
    private final ReentrantLock logLock = new ReentrantLock();

    DirtyTracker(long pages) {
        this.states = new PageStates(pages);
        this.vmBitmap = new DirtyBitmap(pages);
        this.dirtyLog = new DirtyBitmap(pages);
    }

    long pages() {
        return states.pages();
    }

    /** Store path: true exactly once per page between re-protections. */
    boolean claimAfterStore(long page) {
        return states.claimAfterStore(page);
    }

    /** Store path, ring-less mode: record a newly dirtied page in the dirty log. */
    void logDirty(long page) {
        dirtyLog.setVolatile(page);
    }

    /** Harvests one ring into the VM bitmap and re-protects its pages; returns how many. */
    int harvest(DirtyRing ring) {
        return ring.harvestInto(this);
    }

    @Override
    public void reprotect(long page) {
        states.reprotectVolatile(page);
    }

    @Override
    public void reprotected() {
        VarHandle.fullFence(); // re-protection before any copy of these pages' data (Dekker)
    }

    @Override
    public void publish(long page) {
        vmBitmap.setVolatile(page);
    }

    /** Ring-less mode: moves the dirty log into the VM bitmap and re-protects its pages. */
    void syncLog() {
        logLock.lock();
        try {
            for (int i = 0; i < dirtyLog.wordCount(); i++) {
                long word = dirtyLog.takeWord(i);
                if (word != 0) {
                    reprotectWord(i, word);
                    reprotected();
                    vmBitmap.orWord(i, word);
                }
            }
        } finally {
            logLock.unlock();
        }
    }

    private void reprotectWord(int i, long word) {
        for (long bits = word; bits != 0; bits &= bits - 1) {
            states.reprotectVolatile(((long) i << 6) + Long.numberOfTrailingZeros(bits));
        }
    }

    /** Takes (and clears) the VM bitmap into {@code into}; harvest first to include the rings. */
    void takeVmBitmap(long[] into) {
        vmBitmap.takeInto(into);
    }

    int bitmapWords() {
        return vmBitmap.wordCount();
    }

    long vmBitmapCountVolatile() {
        return vmBitmap.countVolatile();
    }

    boolean isVmBitmapSet(long page) {
        return vmBitmap.getVolatile(page);
    }

    boolean isDirtyVolatile(long page) {
        return states.isDirtyVolatile(page);
    }
}
