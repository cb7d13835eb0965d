package io.dirtylimit.agent.profile;

/** Which classes a hook line names. */
public enum TypeScope {
    /** Exactly the named class. */
    CLASS("class"),
    /** The named class and every subclass of it. */
    SUBCLASSES("subclasses-of"),
    /** Every class implementing the named interface (directly or through a superclass or superinterface). */
    IMPLEMENTATIONS("implementations-of");

    private final String keyword;

    TypeScope(String keyword) {
        this.keyword = keyword;
    }

    /**
     * The scope's word in a profile.
     *
     * @return e.g. {@code subclasses-of}
     */
    public String keyword() {
        return keyword;
    }

    static TypeScope byKeyword(String keyword) {
        for (TypeScope scope : values()) {
            if (scope.keyword.equals(keyword)) {
                return scope;
            }
        }
        return null;
    }
}
