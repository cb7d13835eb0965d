package io.dirtylimit.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperClass;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.dirtylimit.agent.profile.HookSpec;
import io.dirtylimit.agent.profile.ValueSource;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One instrumentation unit: a hook line of the profile turned into a type matcher, a method matcher
 * and the advice that calls the bridge with the values this hook reads.
 */
public final class HookUnit {
    private final HookSpec spec;
    private final List<ValueMapping> mappings;
    private final Advice advice;

    /**
     * The unit of one hook line.
     *
     * @param spec the hook
     */
    public HookUnit(HookSpec spec) {
        this.spec = spec;
        ValueMapping id = new ValueMapping("hook", ValueSource.constant(spec.index()), ValueMapping.Width.INT);
        ValueMapping vcpu = new ValueMapping("vcpu", spec.vcpu(), ValueMapping.Width.INT);
        Advice.WithCustomMapping binding = Advice.withCustomMapping()
                .bind(HookArg.Id.class, id)
                .bind(HookArg.Vcpu.class, vcpu);
        List<ValueMapping> used = List.of(vcpu);
        if (spec.value() != null) {
            ValueMapping value = new ValueMapping(spec.valueKey(), spec.value(), ValueMapping.Width.LONG);
            binding = binding.bind(HookArg.Value.class, value);
            used = List.of(vcpu, value);
        }
        if (spec.size() != null) {
            ValueMapping size = new ValueMapping(spec.sizeKey(), spec.size(), ValueMapping.Width.LONG);
            binding = binding.bind(HookArg.Size.class, size);
            used = new ArrayList<>(used);
            used.add(size);
        }
        if (spec.objectSpace()) {
            ValueMapping space = new ValueMapping("space", spec.spaceObject(), ValueMapping.Width.OBJECT);
            binding = binding.bind(HookArg.Space.class, space);
            used = new ArrayList<>(used);
            used.add(space);
        }
        this.mappings = used;
        // The suppression handler only pops what escaped the advice's own catch: it cannot throw,
        // not even NoClassDefFoundError in a class whose loader cannot see the bridge.
        this.advice = binding.to(Advices.forHook(spec))
                .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
    }

    HookSpec spec() {
        return spec;
    }

    /** The classes this hook instruments. */
    ElementMatcher.Junction<TypeDescription> typeMatcher() {
        return switch (spec.scope()) {
            case CLASS -> named(spec.typeName());
            case SUBCLASSES -> not(isInterface()).and(named(spec.typeName()).or(hasSuperClass(named(spec.typeName()))));
            // Interfaces too: a default method of the interface is an implementation.
            case IMPLEMENTATIONS -> hasSuperType(named(spec.typeName()));
        };
    }

    /** The methods of a matched class this hook instruments: named, with these parameter types, with a body. */
    ElementMatcher.Junction<MethodDescription> methodMatcher() {
        ElementMatcher.Junction<MethodDescription> matcher =
                named(spec.methodName()).and(not(isAbstract())).and(not(isNative()));
        if (spec.paramTypes() == null) {
            return matcher;
        }
        matcher = matcher.and(takesArguments(spec.paramTypes().size()));
        for (int i = 0; i < spec.paramTypes().size(); i++) {
            matcher = matcher.and(takesArgument(i, named(spec.paramTypes().get(i))));
        }
        return matcher;
    }

    /** Null if this hook can instrument {@code method} of {@code type}, else why not. */
    String check(TypeDescription type, MethodDescription method) {
        for (ValueMapping mapping : mappings) {
            String problem = mapping.check(type, method);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** The advice, applied to the methods {@code methods} matches. */
    AsmVisitorWrapper on(ElementMatcher<? super MethodDescription> methods) {
        return advice.on(methods);
    }
}
