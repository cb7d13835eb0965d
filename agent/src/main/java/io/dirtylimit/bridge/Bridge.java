package io.dirtylimit.bridge;

/**
 * Static entry points that the agent's advice, inlined into emulator classes, calls. Each one
 * forwards to the installed {@link BridgeHandler} and suppresses anything it throws, so nothing
 * the agent does can reach the emulator. With no handler installed every call is a no-op.
 *
 * <p>A benchmark can call these methods directly from a thread the installed profile recognises
 * as a vCPU (for example one named {@code vcpu-0} with the {@code toyvm} profile).
 */
public final class Bridge {

    /** {@code vcpu} argument meaning "the vCPU is the calling thread's". */
    public static final int BY_THREAD = -1;

    /**
     * The version of the bridge's methods (this class's and {@link BridgeHandler}'s). The bridge
     * stays in the bootstrap class loader for the JVM's life, so an agent attached later checks
     * that the one loaded is the one it was built with. Bump it with every change to a signature
     * here or in BridgeHandler ({@code BridgeVersionTest} pins the signatures to the number).
     * Bridges from before this field count as version 1.
     */
    public static final int VERSION = 2;

    /** The handler in force; swapped by the agent (install, options change, detach). */
    private static volatile BridgeHandler handlerVolatile = new NoOp();

    private Bridge() {}

    /** Installs {@code handler}; {@code null} restores the no-op handler. Returns the previous one. */
    public static BridgeHandler install(BridgeHandler handler) {
        BridgeHandler previous = handlerVolatile;
        handlerVolatile = handler == null ? new NoOp() : handler;
        return previous;
    }

    /** The handler in force (a no-op one when the agent is not active). */
    public static BridgeHandler handler() {
        return handlerVolatile;
    }

    /** Whether the installed handler is the no-op one. */
    public static boolean isIdle() {
        return handlerVolatile instanceof NoOp;
    }

    /** Hook role ring-full. */
    public static void ringFull(int hook, int vcpu) {
        BridgeHandler handler = handlerVolatile;
        try {
            handler.ringFull(hook, vcpu);
        } catch (Throwable failure) {
            report(handler, hook, failure);
        }
    }

    /** Hook role dirty-page. */
    public static void dirtyPage(int hook, int vcpu, long value) {
        BridgeHandler handler = handlerVolatile;
        try {
            handler.dirtyPage(hook, vcpu, value);
        } catch (Throwable failure) {
            report(handler, hook, failure);
        }
    }

    /** Hook role store. */
    public static void store(int hook, int vcpu, long address, long size) {
        BridgeHandler handler = handlerVolatile;
        try {
            handler.store(hook, vcpu, address, size);
        } catch (Throwable failure) {
            report(handler, hook, failure);
        }
    }

    /** Hook role dirty-page whose address space is an object (space=this, argN, this.FIELD). */
    public static void dirtyPageIn(int hook, int vcpu, Object space, long value) {
        BridgeHandler handler = handlerVolatile;
        try {
            handler.dirtyPageIn(hook, vcpu, space, value);
        } catch (Throwable failure) {
            report(handler, hook, failure);
        }
    }

    /** Hook role store whose address space is an object (space=this, argN, this.FIELD). */
    public static void storeIn(int hook, int vcpu, Object space, long address, long size) {
        BridgeHandler handler = handlerVolatile;
        try {
            handler.storeIn(hook, vcpu, space, address, size);
        } catch (Throwable failure) {
            report(handler, hook, failure);
        }
    }

    /** Hook role vcpu-loop. */
    public static void vcpuLoop(int hook, int vcpu) {
        BridgeHandler handler = handlerVolatile;
        try {
            handler.vcpuLoop(hook, vcpu);
        } catch (Throwable failure) {
            report(handler, hook, failure);
        }
    }

    /** Hook role vcpu-step. */
    public static void vcpuStep(int hook, int vcpu) {
        BridgeHandler handler = handlerVolatile;
        try {
            handler.vcpuStep(hook, vcpu);
        } catch (Throwable failure) {
            report(handler, hook, failure);
        }
    }

    /** Hook role migration-start. */
    public static void migrationStart(int hook, long bandwidthBytesPerSec, long downtimeMillis) {
        BridgeHandler handler = handlerVolatile;
        try {
            handler.migrationStart(hook, bandwidthBytesPerSec, downtimeMillis);
        } catch (Throwable failure) {
            report(handler, hook, failure);
        }
    }

    /** Hook role migration-pass. */
    public static void migrationPass(int hook, long bytesSent, long bytesDirtied) {
        BridgeHandler handler = handlerVolatile;
        try {
            handler.migrationPass(hook, bytesSent, bytesDirtied);
        } catch (Throwable failure) {
            report(handler, hook, failure);
        }
    }

    /** Hook role migration-end. */
    public static void migrationEnd(int hook) {
        BridgeHandler handler = handlerVolatile;
        try {
            handler.migrationEnd(hook);
        } catch (Throwable failure) {
            report(handler, hook, failure);
        }
    }

    /** Called by the advice's exception handler when the inlined advice itself failed. */
    public static void adviceFault(Throwable failure) {
        report(handlerVolatile, -1, failure);
    }

    private static void report(BridgeHandler handler, int hook, Throwable failure) {
        try {
            handler.fault(hook, failure);
        } catch (Throwable ignored) {
            // The reporter failed too: the emulator must carry on regardless.
        }
    }

    /** The handler in force while the agent is not active. */
    private static final class NoOp extends BridgeHandler {}
}
