package io.dirtylimit.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isExtensionClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.dirtylimit.bridge.Bridge;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs a profile's hook units with one AgentBuilder: retransformation without class format
 * changes (advice only: no field or method is added, so a later reset can always restore the
 * original bytes), already loaded classes included, the agent's own and the JDK's classes ignored.
 */
public final class HookInstaller {
    private HookInstaller() {}

    /**
     * Installs {@code units} on {@code inst}, retransforming the classes already loaded.
     *
     * @param units the hook units
     * @param inst the JVM's instrumentation
     * @param report told what each unit instruments or refuses
     * @return the transformer, for {@link #reset}
     */
    public static ResettableClassFileTransformer install(List<HookUnit> units, Instrumentation inst, HookReport report) {
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // Retransforming a loaded class may load others (reflection on its fields and methods):
                // those are skipped at their load (inside a transformation), so look again until none is new.
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(report.redefinitionListener())
                .with(report)
                .ignore(any(), isBootstrapClassLoader().or(isExtensionClassLoader()))
                .or(nameStartsWith("io.dirtylimit.agent.")
                        .or(nameStartsWith("io.dirtylimit.bridge."))
                        .or(nameStartsWith("io.dirtylimit.core."))
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(isSynthetic()));
        BridgeVisibility visibility = new BridgeVisibility(Bridge.class);
        for (HookUnit unit : units) {
            builder = builder.type(unit.typeMatcher()).transform(new UnitTransformer(unit, report, visibility));
        }
        return builder.installOn(inst);
    }

    /**
     * Deregisters {@code transformer} and retransforms every class it changed, which restores their
     * original bytecode.
     *
     * @param transformer what {@link #install} returned
     * @param inst the instrumentation it was installed with
     * @param report told about errors
     * @return the names of the classes retransformed
     */
    public static List<String> reset(ResettableClassFileTransformer transformer, Instrumentation inst, HookReport report) {
        List<String> restored = new ArrayList<>();
        AgentBuilder.RedefinitionStrategy.Listener collect = new AgentBuilder.RedefinitionStrategy.Listener.Adapter() {
            @Override
            public void onBatch(int index, List<Class<?>> batch, List<Class<?>> types) {
                batch.forEach(type -> restored.add(type.getName()));
            }
        };
        boolean removed = transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION,
                AgentBuilder.RedefinitionStrategy.BatchAllocator.ForTotal.INSTANCE,
                new AgentBuilder.RedefinitionStrategy.Listener.Compound(collect, report.redefinitionListener()));
        if (!removed) {
            report.error("the hooks' class file transformer was not registered any more; nothing to restore");
        }
        return restored;
    }

    /**
     * Applies one unit's advice to the methods of a matched class it can serve, and records them;
     * a class whose loader cannot reach the bridge is refused whole.
     */
    private static final class UnitTransformer implements AgentBuilder.Transformer {
        private final HookUnit unit;
        private final HookReport report;
        private final BridgeVisibility visibility;

        UnitTransformer(HookUnit unit, HookReport report, BridgeVisibility visibility) {
            this.unit = unit;
            this.report = report;
            this.visibility = visibility;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                ClassLoader classLoader, JavaModule module, ProtectionDomain domain) {
            String blind = visibility.problem(classLoader);
            Set<String> accepted = new HashSet<>();
            for (MethodDescription method : type.getDeclaredMethods().filter(unit.methodMatcher())) {
                String problem = blind != null ? blind : unit.check(type, method);
                if (problem == null) {
                    accepted.add(method.getInternalName() + method.getDescriptor());
                    report.matched(unit.spec(), type, method);
                } else {
                    report.refused(unit.spec(), type, method, problem);
                }
            }
            if (accepted.isEmpty()) {
                return builder;
            }
            return builder.visit(unit.on(unit.methodMatcher()
                    .and(method -> accepted.contains(method.getInternalName() + method.getDescriptor()))));
        }
    }
}
