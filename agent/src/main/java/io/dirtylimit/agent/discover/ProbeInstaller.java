package io.dirtylimit.agent.discover;

import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the probes of one discover with one AgentBuilder, the way the hooks are installed:
 * retransformation without class-format changes (advice only, so {@link #reset} restores the
 * original bytes exactly, as {@code detach} does), on exactly the classes chosen (never a class
 * loaded later), one class per retransformation batch so one failing class does not hold back the
 * others. Records what it probed, what failed and what it restored.
 */
final class ProbeInstaller {
    private final Map<Class<?>, Map<String, ProbedMethod>> plans = new IdentityHashMap<>();
    private final Map<ClassKey, Map<String, ProbedMethod>> byName = new HashMap<>();
    private final Set<String> probedMethods = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<String> errors = Collections.synchronizedSet(new LinkedHashSet<>());
    private ResettableClassFileTransformer transformer;

    /** A class by its loader and name, as the transformer sees it. */
    private record ClassKey(ClassLoader loader, String name) {}

    ProbeInstaller(List<ProbedMethod> methods) {
        for (ProbedMethod method : methods) {
            Map<String, ProbedMethod> plan = plans.computeIfAbsent(method.owner, owner -> new HashMap<>());
            plan.put(method.key(), method);
            byName.put(new ClassKey(method.owner.getClassLoader(), method.className()), plan);
        }
    }

    /** Retransforms the chosen classes with the probes. */
    void install(Instrumentation inst) {
        AgentBuilder.RawMatcher chosen = (type, loader, module, redefined, domain) -> redefined != null && plans.containsKey(redefined);
        transformer = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(1))
                .with(redefinitionListener("probing"))
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
                        errors.add("probing " + typeName + " failed: " + throwable);
                    }
                })
                .type(chosen)
                .transform(this::transform)
                .installOn(inst);
    }

    private DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                             JavaModule module, ProtectionDomain domain) {
        Map<String, ProbedMethod> plan = byName.get(new ClassKey(loader, type.getName()));
        if (plan == null) {
            return builder;
        }
        Advice advice = Advice.withCustomMapping()
                .bind(ProbeAdvice.Id.class, new ProbeMapping(plan, ProbeMapping.Kind.ID))
                .bind(ProbeAdvice.Int0.class, new ProbeMapping(plan, ProbeMapping.Kind.INT0))
                .bind(ProbeAdvice.Int1.class, new ProbeMapping(plan, ProbeMapping.Kind.INT1))
                .bind(ProbeAdvice.Int2.class, new ProbeMapping(plan, ProbeMapping.Kind.INT2))
                .bind(ProbeAdvice.Int3.class, new ProbeMapping(plan, ProbeMapping.Kind.INT3))
                .bind(ProbeAdvice.FirstArray.class, new ProbeMapping(plan, ProbeMapping.Kind.ARRAY))
                .to(ProbeAdvice.class);
        for (ProbedMethod method : plan.values()) {
            probedMethods.add(method.toString());
        }
        return builder.visit(advice.on(method -> plan.containsKey(method.getInternalName() + method.getDescriptor())
                && !method.isConstructor() && !method.isTypeInitializer()));
    }

    /**
     * Deregisters the transformer and retransforms every class it changed, which restores their
     * original bytes (other agents' transformations, the dirtylimit hooks included, are applied again).
     *
     * @return the classes restored
     */
    List<String> reset(Instrumentation inst) {
        List<String> restored = Collections.synchronizedList(new ArrayList<>());
        if (transformer == null) {
            return restored;
        }
        AgentBuilder.RedefinitionStrategy.Listener collect = new AgentBuilder.RedefinitionStrategy.Listener.Adapter() {
            @Override
            public void onBatch(int index, List<Class<?>> batch, List<Class<?>> types) {
                batch.forEach(type -> restored.add(type.getName()));
            }
        };
        boolean removed = transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION,
                AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(1),
                new AgentBuilder.RedefinitionStrategy.Listener.Compound(collect, redefinitionListener("restoring")));
        if (!removed) {
            errors.add("the probes' class file transformer was not registered any more; nothing to restore");
        }
        transformer = null;
        return restored;
    }

    private AgentBuilder.RedefinitionStrategy.Listener redefinitionListener(String what) {
        return new AgentBuilder.RedefinitionStrategy.Listener.Adapter() {
            @Override
            public Iterable<? extends List<Class<?>>> onError(int index, List<Class<?>> batch, Throwable throwable,
                                                               List<Class<?>> types) {
                errors.add(what + " " + batch + " failed: " + throwable);
                return List.of();
            }
        };
    }

    /** The methods the transformer instrumented, {@code Class.method(types)}. */
    List<String> probed() {
        synchronized (probedMethods) {
            return List.copyOf(probedMethods);
        }
    }

    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }
}
