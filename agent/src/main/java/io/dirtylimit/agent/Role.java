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
    VCPU_LOOP("vcpu-loop", false);

    final String keyword;
    /** Whether the hook runs when the method returns unless the profile says {@code at=enter}. */
    final boolean exitByDefault;

    Role(String keyword, boolean exitByDefault) {
        this.keyword = keyword;
        this.exitByDefault = exitByDefault;
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
