package io.dirtylimit.examples.toyvm;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pause and resume of all vCPUs. A pause request is seen by each vCPU at its next slice
 * boundary (or while it idles); {@link #awaitAllParked()} returns once every live vCPU is out of
 * guest code. Pauses nest (user pause, migration's stop-and-copy): the vCPUs run again when the
 * last one is released.
 */
final class RunControl {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by lock. */
    private int pauseDepth;
    /** Guarded by lock: vCPUs parked in {@link #parkWhilePaused}. */
    private int parked;
    /** Guarded by lock: vCPU threads not yet exited. */
    private int live;
    /** Written under lock, read lock-free by vCPUs at slice boundaries. */
    private volatile boolean pauseRequestedVolatile;

    RunControl(int vcpus) {
        this.live = vcpus;
    }

    boolean pauseRequestedVolatile() {
        return pauseRequestedVolatile;
    }

    /** Adds one level of pause; the caller then kicks idle vCPUs and awaits them. */
    void requestPause() {
        lock.lock();
        try {
            pauseDepth++;
            pauseRequestedVolatile = true;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until every live vCPU is parked (or has exited). */
    void awaitAllParked() {
        lock.lock();
        try {
            while (pauseDepth > 0 && parked < live) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes one level of pause; false when nothing was paused. */
    boolean release() {
        lock.lock();
        try {
            if (pauseDepth == 0) {
                return false;
            }
            if (--pauseDepth == 0) {
                pauseRequestedVolatile = false;
                changed.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** vCPU side: stays parked while paused, unless the vCPU is asked to stop. */
    void parkWhilePaused(Vcpu vcpu) {
        lock.lock();
        try {
            parked++;
            changed.signalAll();
            while (pauseDepth > 0 && !vcpu.stopRequestedVolatile()) {
                changed.awaitUninterruptibly();
            }
            parked--;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes parked vCPUs so they notice a stop request. */
    void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A vCPU thread starts again after an unplug (hot-plug). */
    void vcpuEntered() {
        lock.lock();
        try {
            live++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void vcpuExited() {
        lock.lock();
        try {
            live--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isPaused() {
        return pauseRequestedVolatile;
    }
}
