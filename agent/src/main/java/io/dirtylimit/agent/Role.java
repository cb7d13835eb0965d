package io.dirtylimit.agent;

/** What a hooked method means to the agent. */
enum Role {
    /** A call means the calling vCPU's dirty ring just filled: a throttle point. */
    RING_FULL("ring-full", true),
    /** A call reports one newly dirtied page. */
    DIRTY_PAGE("dirty-page", false),
    /** A call writes guest memory; the agent tracks page dirtiness itself. */
    STORE("store", false),
    /** A call starts a vCPU's run loop: learns the thread's vCPU early. */
    VCPU_LOOP("vcpu-loop", false),
    /** A call is one trip of a vCPU into guest code and back (every vCPU, dirtying or not): a CPU-throttle point. */
    VCPU_STEP("vcpu-step", true),
    /** A call starts a migration: link bandwidth (bytes/s) and downtime limit (ms). */
    MIGRATION_START("migration-start", false),
    /** A call ends a pre-copy pass: bytes sent during it and bytes dirtied meanwhile. */
    MIGRATION_PASS("migration-pass", false),
    /** A call ends a migration, however it ended. */
    MIGRATION_END("migration-end", false);

    final String keyword;
    /** Whether the hook runs when the method returns unless the profile says {@code at=enter}. */
    final boolean exitByDefault;

    Role(String keyword, boolean exitByDefault) {
        this.keyword = keyword;
        this.exitByDefault = exitByDefault;
    }

    /** Whether the hook runs on the emulator's migration thread, not on a vCPU. */
    boolean isMigration() {
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
