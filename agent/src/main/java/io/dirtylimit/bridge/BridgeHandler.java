package io.dirtylimit.bridge;

/**
 * What the hooks call through {@link Bridge}. Every method runs on the emulator thread that hit
 * the hook; the base class does nothing, so a handler overrides only the roles it serves.
 *
 * <p>{@code hook} is the hook's position in the profile (0 for the first hook line);
 * {@code vcpu} is the vCPU index the hook read from a field or argument, or {@link Bridge#BY_THREAD}
 * when the handler must tell the vCPU from the calling thread.
 */
public abstract class BridgeHandler {

    /** For subclasses. */
    protected BridgeHandler() {}

    /** A ring-full hook was hit: this vCPU's dirty ring just filled. */
    public void ringFull(int hook, int vcpu) {}

    /** A dirty-page hook was hit; {@code value} is the page number or guest address it reported. */
    public void dirtyPage(int hook, int vcpu, long value) {}

    /** A store hook was hit: {@code size} bytes written at guest address {@code address}. */
    public void store(int hook, int vcpu, long address, long size) {}

    /**
     * A dirty-page hook whose address space is an object was hit: {@code space} is that object (the
     * hooked one, or an argument or field of it; may be null), {@code value} the page number or
     * guest address inside it.
     */
    public void dirtyPageIn(int hook, int vcpu, Object space, long value) {}

    /**
     * A store hook whose address space is an object was hit: {@code size} bytes written at address
     * {@code address} of {@code space} (may be null).
     */
    public void storeIn(int hook, int vcpu, Object space, long address, long size) {}

    /** A vcpu-loop hook was hit: the calling thread starts running vCPU {@code vcpu}. */
    public void vcpuLoop(int hook, int vcpu) {}

    /** A vcpu-step hook was hit: the calling vCPU ran a slice of guest code (a CPU-throttle point). */
    public void vcpuStep(int hook, int vcpu) {}

    /** A migration-start hook was hit; a value the profile does not give is -1. */
    public void migrationStart(int hook, long bandwidthBytesPerSec, long downtimeMillis) {}

    /** A migration-pass hook was hit: a pre-copy pass sent {@code bytesSent}, {@code bytesDirtied} were dirtied meanwhile. */
    public void migrationPass(int hook, long bytesSent, long bytesDirtied) {}

    /** A migration-end hook was hit: the migration completed, failed or was cancelled. */
    public void migrationEnd(int hook) {}

    /**
     * A hook failed with {@code failure}; it has been suppressed. {@code hook} is -1 when the
     * failure happened in the inlined advice itself (e.g. a null array whose length was the size).
     */
    public void fault(int hook, Throwable failure) {}
}
