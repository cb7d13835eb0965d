package io.dirtylimit.agent;

/** Which classes a hook line names. */
enum TypeScope {
    /** Exactly the named class. */
    CLASS("class"),
    /** The named class and every subclass of it. */
    SUBCLASSES("subclasses-of"),
    /** Every class implementing the named interface (directly or through a superclass or superinterface). */
    IMPLEMENTATIONS("implementations-of");

    final String keyword;

    TypeScope(String keyword) {
        this.keyword = keyword;
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
