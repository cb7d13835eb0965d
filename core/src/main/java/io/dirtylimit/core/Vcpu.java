package io.dirtylimit.core;

/**
 * One registered vCPU, and the hot path the instrumentation calls from that vCPU's own thread.
 *
 * <p>The hot-path methods take no lock and allocate nothing; with no limit set they cost a few
 * nanoseconds. They may sleep the calling thread (in chunks of at most 20 ms) when a limit is set.
 * A {@link Thread#interrupt()} ends a sleep at once and the interrupt status stays set.
 *
 * <p>API CONTRACT SKELETON: implemented by the core issue.
 */
public final class Vcpu {

    private Vcpu() {}

    /** The cpu index this vCPU was registered with. */
    public int index() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Hot path: {@code count} pages were newly dirtied by this vCPU (first write since harvest).
     * Places a throttle point every quantum of pages when a limit is set.
     */
    public void pagesDirtied(int count) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Hot path: this vCPU's dirty ring just filled. A throttle point. */
    public void ringFull() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
