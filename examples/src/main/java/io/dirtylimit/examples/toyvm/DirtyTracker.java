package io.dirtylimit.examples.toyvm;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The VM's dirty-page tracking: page protection, the dirty log of ring-less mode, and the VM
 * dirty bitmap that harvests feed and migration takes.
 *
 * <p>A harvest moves pages from a ring (or from the dirty log) into the VM bitmap and
 * re-protects them, then fences: whoever copies page data after taking those pages from the VM
 * bitmap sees every store that the re-protection did not catch.
 */
final class DirtyTracker implements PageSink {
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

    /** Harvests one ring into the VM bitmap and re-protects its pages. */
    int harvest(DirtyRing ring) {
        int pages = ring.harvestInto(this);
        VarHandle.fullFence(); // re-protection before any later copy of page data
        return pages;
    }

    /** Ring-less mode: moves the dirty log into the VM bitmap and re-protects its pages. */
    void syncLog() {
        logLock.lock();
        try {
            dirtyLog.takeInto(this);
            VarHandle.fullFence();
        } finally {
            logLock.unlock();
        }
    }

    @Override
    public void acceptPage(long page) {
        vmBitmap.setVolatile(page);
        states.reprotectVolatile(page);
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
