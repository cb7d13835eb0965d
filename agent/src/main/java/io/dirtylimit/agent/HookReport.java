package io.dirtylimit.agent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

/**
 * What the hooks did: which methods each hook instrumented, which it refused (and why), and every
 * error Byte Buddy or the JVM raised while transforming. Also the AgentBuilder listener: without
 * one a failed transformation is silently skipped.
 */
final class HookReport extends AgentBuilder.Listener.Adapter {
    private final List<HookSpec> hooks;
    private final List<Set<String>> matched = new ArrayList<>();
    private final List<Set<String>> refused = new ArrayList<>();
    private final Set<String> errors = new LinkedHashSet<>();

    HookReport(List<HookSpec> hooks) {
        this.hooks = List.copyOf(hooks);
        for (int i = 0; i < hooks.size(); i++) {
            matched.add(new LinkedHashSet<>());
            refused.add(new LinkedHashSet<>());
        }
    }

    synchronized void matched(HookSpec hook, TypeDescription type, MethodDescription method) {
        if (matched.get(hook.index()).add(name(type, method))) {
            Log.info("hook " + hook.index() + " (" + hook.role().keyword + ") instruments " + name(type, method));
        }
    }

    synchronized void refused(HookSpec hook, TypeDescription type, MethodDescription method, String why) {
        if (refused.get(hook.index()).add(name(type, method) + ": " + why)) {
            Log.warn("hook " + hook.index() + " (profile line " + hook.line() + ") cannot instrument "
                    + name(type, method) + ": " + why);
        }
    }

    synchronized void error(String what) {
        if (errors.add(what)) {
            Log.warn(what);
        }
    }

    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
        error("transforming " + typeName + " failed: " + throwable);
    }

    /** Listener for the retransformation of already loaded classes at install and at reset. */
    AgentBuilder.RedefinitionStrategy.Listener redefinitionListener() {
        return new AgentBuilder.RedefinitionStrategy.Listener.Adapter() {
            @Override
            public Iterable<? extends List<Class<?>>> onError(int index, List<Class<?>> batch, Throwable throwable,
                                                               List<Class<?>> types) {
                error("retransforming " + batch + " failed: " + throwable);
                return List.of();
            }

            @Override
            public void onComplete(int amount, List<Class<?>> types, Map<List<Class<?>>, Throwable> failures) {
                failures.forEach((batch, failure) -> error("retransforming " + batch + " failed: " + failure));
            }
        };
    }

    synchronized List<String> matched(int hook) {
        return List.copyOf(matched.get(hook));
    }

    synchronized List<String> refused(int hook) {
        return List.copyOf(refused.get(hook));
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized int matchedHooks() {
        return (int) matched.stream().filter(set -> !set.isEmpty()).count();
    }

    List<HookSpec> hooks() {
        return hooks;
    }

    private static String name(TypeDescription type, MethodDescription method) {
        StringBuilder text = new StringBuilder(type.getActualName()).append('.').append(method.getName()).append('(');
        for (int i = 0; i < method.getParameters().size(); i++) {
            text.append(i > 0 ? ", " : "").append(method.getParameters().get(i).getType().asErasure().getActualName());
        }
        return text.append(')').toString();
    }
}
