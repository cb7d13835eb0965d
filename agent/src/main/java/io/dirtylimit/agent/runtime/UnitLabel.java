package io.dirtylimit.agent.runtime;

/**
 * What stands behind a vCPU index when it is not simply a thread name: an address-space object
 * ({@code vcpu-id space}: its class and identity hash, so an operator can tell two guests' memories
 * apart) or the thread that took a {@code first-dirty} index.
 *
 * @param className the space object's class, or null for a thread
 * @param identityHash the space object's {@link System#identityHashCode}, 0 for a thread
 * @param threadName the thread's name when it took the index, or null for a space
 */
public record UnitLabel(String className, int identityHash, String threadName) {

    static UnitLabel ofObject(Object space) {
        return new UnitLabel(space.getClass().getName(), System.identityHashCode(space), null);
    }

    static UnitLabel ofThread(String name) {
        return new UnitLabel(null, 0, name);
    }

    /**
     * Whether the unit is an address-space object.
     *
     * @return true for a space, false for a thread
     */
    public boolean isSpace() {
        return className != null;
    }

    /**
     * The identity hash as {@link Object#toString()} writes it.
     *
     * @return lowercase hex, or empty for a thread
     */
    public String identityHashHex() {
        return isSpace() ? Integer.toHexString(identityHash) : "";
    }

    /**
     * One short word for tables: {@code LinearMemory@1b6d3586} or {@code thread 'worker-3'}.
     *
     * @return the description
     */
    public String describe() {
        if (!isSpace()) {
            return "thread '" + threadName + "'";
        }
        return className.substring(className.lastIndexOf('.') + 1) + "@" + identityHashHex();
    }
}
