package io.dirtylimit.agent.profile;

import java.util.List;

/**
 * One hook line of a profile, resolved.
 *
 * @param index position among the profile's hooks, the {@code hook} number the bridge receives
 * @param line line number in the profile
 * @param role what a call means
 * @param scope which classes the type name selects
 * @param typeName binary name of the class or interface
 * @param methodName the hooked method's name
 * @param paramTypes parameter type names (Java source form, e.g. {@code byte[]}), or null for any
 * @param vcpu where the vCPU index comes from
 * @param value the page number or guest address (dirty-page, store), the bandwidth in bytes/s
 *     (migration-start) or the bytes sent (migration-pass), else null
 * @param valueIsAddress whether {@code value} is a guest address (else a page number)
 * @param size the store's size in bytes (store), the downtime limit in ms (migration-start) or the
 *     bytes dirtied during the pass (migration-pass), else null
 * @param atExit whether the hook runs when the method returns (else when it is entered)
 * @param dedupe whether dirty-page calls go through the agent's own first-write tracking
 * @param space the named address space whose pages a store or deduplicated dirty-page marks, or
 *     null when {@code spaceObject} names it
 * @param spaceObject the object that is the address space ({@code space=this}, {@code space=argN},
 *     {@code space=this.FIELD}), or null for a named space
 * @param sizeIsEnd whether {@code size} is the store's exclusive end address ({@code end=argN})
 */
public record HookSpec(
        int index,
        int line,
        Role role,
        TypeScope scope,
        String typeName,
        String methodName,
        List<String> paramTypes,
        ValueSource vcpu,
        ValueSource value,
        boolean valueIsAddress,
        ValueSource size,
        boolean atExit,
        boolean dedupe,
        String space,
        ValueSource spaceObject,
        boolean sizeIsEnd) {

    /**
     * The hook as the profile wrote it, for reports.
     *
     * @return e.g. {@code ring-full class a.Vcpu full()}
     */
    public String describe() {
        String params = paramTypes == null ? "*" : String.join(", ", paramTypes);
        return role.keyword() + " " + scope.keyword() + " " + typeName + " " + methodName + "(" + params + ")";
    }

    /**
     * The profile key {@code value} came from, for messages.
     *
     * @return e.g. {@code page}, {@code address}, {@code sent}
     */
    public String valueKey() {
        return role == Role.DIRTY_PAGE && valueIsAddress ? "address" : role.valueKey();
    }

    /**
     * The profile key {@code size} came from, for messages.
     *
     * @return e.g. {@code size}, {@code downtime}
     */
    public String sizeKey() {
        return sizeIsEnd ? "end" : role.sizeKey();
    }

    /**
     * Whether each object the hook reads is an address space of its own.
     *
     * @return true for {@code space=this}, {@code space=argN} and {@code space=this.FIELD}
     */
    public boolean objectSpace() {
        return spaceObject != null;
    }

    /**
     * Whether this hook marks pages in an address space of the agent.
     *
     * @return true for store hooks and deduplicated dirty-page hooks
     */
    public boolean tracksPages() {
        return role == Role.STORE || (role == Role.DIRTY_PAGE && dedupe);
    }
}
