package io.dirtylimit.agent.instrument;

import io.dirtylimit.agent.Log;
import io.dirtylimit.agent.profile.HookSpec;
import io.dirtylimit.agent.profile.TypeScope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

/**
 * What the hooks did: which methods each hook instrumented, which it refused (and why), and every
 * error Byte Buddy or the JVM raised while transforming; and the lines that tell it (the attach
 * report, the MXBean's hook attributes). Also the AgentBuilder listener: without one a failed
 * transformation is silently skipped.
 */
public final class HookReport extends AgentBuilder.Listener.Adapter {
    private final List<HookSpec> hooks;
    private final List<Set<String>> matched = new ArrayList<>();
    private final List<Set<String>> refused = new ArrayList<>();
    private final Set<String> errors = new LinkedHashSet<>();

    /**
     * An empty report.
     *
     * @param hooks the profile's hooks, by index
     */
    public HookReport(List<HookSpec> hooks) {
        this.hooks = List.copyOf(hooks);
        for (int i = 0; i < hooks.size(); i++) {
            matched.add(new LinkedHashSet<>());
            refused.add(new LinkedHashSet<>());
        }
    }

    synchronized void matched(HookSpec hook, TypeDescription type, MethodDescription method) {
        if (matched.get(hook.index()).add(name(type, method))) {
            Log.info("hook " + hook.index() + " (" + hook.role().keyword() + ") instruments " + name(type, method));
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

    /**
     * The methods hook {@code hook} instruments.
     *
     * @param hook the hook's index
     * @return {@code Class.method(types)} lines
     */
    public synchronized List<String> matched(int hook) {
        return List.copyOf(matched.get(hook));
    }

    /**
     * The methods hook {@code hook} had to refuse, with the reason.
     *
     * @param hook the hook's index
     * @return {@code Class.method(types): why} lines
     */
    public synchronized List<String> refused(int hook) {
        return List.copyOf(refused.get(hook));
    }

    /**
     * Errors raised while transforming or restoring classes.
     *
     * @return one line each
     */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    /**
     * The attach report's hook lines, one per instrumented method, refusal and hook still waiting.
     * At start-up the emulator's classes are not loaded yet: an unmatched hook is normal then, not a warning.
     *
     * @param loaded the names of the classes loaded now; empty at start-up
     * @param lines told each plain line
     * @param warnings told each warning
     */
    public synchronized void describe(Set<String> loaded, Consumer<String> lines,
                                      Consumer<String> warnings) {
        for (HookSpec hook : hooks) {
            String head = "hook " + hook.index() + " (line " + hook.line() + ") " + hook.describe();
            Set<String> methods = matched.get(hook.index());
            methods.forEach(method -> lines.accept(head + ": instruments " + method));
            refused.get(hook.index()).forEach(refusal -> warnings.accept(head + ": refused " + refusal));
            if (methods.isEmpty() && loaded.isEmpty()) {
                lines.accept(head + ": waiting for its class to load");
            } else if (methods.isEmpty()) {
                warnings.accept(head + ": matched nothing yet: " + whyUnmatched(hook, loaded));
            }
        }
        errors.forEach(warnings);
    }

    private static String whyUnmatched(HookSpec hook, Set<String> loaded) {
        if (hook.scope() == TypeScope.CLASS && !loaded.contains(hook.typeName())) {
            return "class " + hook.typeName() + " is not loaded (it will be hooked if it ever loads)";
        }
        if (hook.scope() == TypeScope.CLASS) {
            return "class " + hook.typeName() + " has no non-abstract method " + hook.methodName() + " with these parameters";
        }
        return "no loaded " + (hook.scope() == TypeScope.SUBCLASSES ? "subclass of " : "implementation of ") + hook.typeName()
                + " has such a method (new ones are hooked when they load)";
    }

    /**
     * One line per instrumented method: {@code hook 0 (ring-full) a.Vcpu.full()}.
     *
     * @return the lines
     */
    public synchronized List<String> matchedLines() {
        List<String> lines = new ArrayList<>();
        for (HookSpec hook : hooks) {
            matched.get(hook.index()).forEach(method -> lines.add("hook " + hook.index() + " (" + hook.role().keyword() + ") " + method));
        }
        return lines;
    }

    /**
     * One line per hook that instruments nothing yet: {@code hook 3 (line 22) migration-start class ...}.
     *
     * @return the lines
     */
    public synchronized List<String> unmatchedLines() {
        List<String> lines = new ArrayList<>();
        for (HookSpec hook : hooks) {
            if (matched.get(hook.index()).isEmpty()) {
                lines.add("hook " + hook.index() + " (line " + hook.line() + ") " + hook.describe());
            }
        }
        return lines;
    }

    private static String name(TypeDescription type, MethodDescription method) {
        StringBuilder text = new StringBuilder(type.getActualName()).append('.').append(method.getName()).append('(');
        for (int i = 0; i < method.getParameters().size(); i++) {
            text.append(i > 0 ? ", " : "").append(method.getParameters().get(i).getType().asErasure().getActualName());
        }
        return text.append(')').toString();
    }
}
