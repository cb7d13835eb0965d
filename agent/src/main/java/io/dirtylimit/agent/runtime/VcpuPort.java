package io.dirtylimit.agent.runtime;

/** The throttle core's hot path for one vCPU, as the dispatcher sees it (a seam for tests). */
public interface VcpuPort {
    /**
     * {@code count} pages were newly dirtied by this vCPU; may sleep the calling thread.
     *
     * @param count pages
     */
    void pagesDirtied(int count);

    /** This vCPU's dirty ring just filled; may sleep the calling thread. */
    void ringFull();
}
