package io.dirtylimit.agent.profile;

import java.util.List;
import java.util.Map;

/**
 * A hook line as written, before the profile's {@code vcpu-id} is known (it may come later in the
 * file): {@link HookResolver} turns it into a {@link HookSpec}.
 *
 * @param line the line number
 * @param role the role keyword's role
 * @param scope which classes the type name selects
 * @param typeName the binary class name
 * @param methodName the method's name
 * @param paramTypes parameter types, or null for {@code *}
 * @param options the {@code key=value} options, by key
 */
record RawHook(int line, Role role, TypeScope scope, String typeName, String methodName,
               List<String> paramTypes, Map<String, String> options) {}
