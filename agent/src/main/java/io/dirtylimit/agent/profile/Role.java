package io.dirtylimit.agent.profile;

/**
 * What a hooked method means to the agent: a profile line's first word. A new role is a constant
 * here, its advice (instrument.Advices), its bridge entry (bridge.Bridge, BridgeHandler), its
 * forwarding (runtime.ForwardingHandler) and its behaviour (runtime.Dispatcher); HookResolver only
 * if it reads values of its own.
 */
public enum Role {
    /** A call means the calling vCPU's dirty ring just filled: a throttle point. */
    RING_FULL("ring-full", true, "vcpu= and at=", null, null),
    /** A call reports one newly dirtied page. */
    DIRTY_PAGE("dirty-page", false, "page= or address=, dedupe=, space=, vcpu= and at=", "page", null),
    /** A call writes guest memory; the agent tracks page dirtiness itself. */
    STORE("store", false, "address=, size= or end=, space=, vcpu= and at=", "address", "size"),
    /** A call starts a vCPU's run loop: learns the thread's vCPU early. */
    VCPU_LOOP("vcpu-loop", false, "vcpu= and at=", null, null),
    /** A call is one trip of a vCPU into guest code and back (every vCPU, dirtying or not): a CPU-throttle point. */
    VCPU_STEP("vcpu-step", true, "vcpu= and at=", null, null),
    /** A call starts a migration: link bandwidth (bytes/s) and downtime limit (ms). */
    MIGRATION_START("migration-start", false, "bandwidth= (bytes/s), downtime= (ms) and at=", "bandwidth", "downtime"),
    /** A call ends a pre-copy pass: bytes sent during it and bytes dirtied meanwhile. */
    MIGRATION_PASS("migration-pass", false, "sent=, dirtied= and at=", "sent", "dirtied"),
    /** A call ends a migration, however it ended. */
    MIGRATION_END("migration-end", false, "at=", null, null);

    private final String keyword;
    private final boolean exitByDefault;
    private final String keys;
    private final String valueKey;
    private final String sizeKey;

    Role(String keyword, boolean exitByDefault, String keys, String valueKey, String sizeKey) {
        this.keyword = keyword;
        this.exitByDefault = exitByDefault;
        this.keys = keys;
        this.valueKey = valueKey;
        this.sizeKey = sizeKey;
    }

    /**
     * The role's word in a profile, e.g. {@code ring-full}.
     *
     * @return the keyword
     */
    public String keyword() {
        return keyword;
    }

    /** Whether the hook runs when the method returns unless the profile says {@code at=enter}. */
    boolean exitByDefault() {
        return exitByDefault;
    }

    /** The keys a hook line of this role takes, for messages. */
    String keys() {
        return keys;
    }

    /** The key a hook's {@link HookSpec#value()} comes from, or null. */
    String valueKey() {
        return valueKey;
    }

    /** The key a hook's {@link HookSpec#size()} comes from, or null. */
    String sizeKey() {
        return sizeKey;
    }

    /**
     * Whether the hook runs on the emulator's migration thread, not on a vCPU.
     *
     * @return true for the migration roles
     */
    public boolean isMigration() {
        return this == MIGRATION_START || this == MIGRATION_PASS || this == MIGRATION_END;
    }

    static Role byKeyword(String keyword) {
        for (Role role : values()) {
            if (role.keyword.equals(keyword)) {
                return role;
            }
        }
        return null;
    }
}
