package io.dirtylimit.agent.discover;

import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.implementation.bytecode.constant.LongConstant;
import net.bytebuddy.implementation.bytecode.constant.NullConstant;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;

/**
 * Binds one parameter of {@link ProbeAdvice} for each probed method of one class: its index, its
 * k-th integer argument widened to {@code long} (or 0), its first array argument (or null).
 */
final class ProbeMapping implements Advice.OffsetMapping {
    /** What the parameter carries: the index, integer argument 0..3, or the first array. */
    enum Kind { ID, INT0, INT1, INT2, INT3, ARRAY }

    private static final TypeDescription LONG = TypeDescription.ForLoadedType.of(long.class);

    private final Map<String, ProbedMethod> methods;
    private final Kind kind;

    ProbeMapping(Map<String, ProbedMethod> methods, Kind kind) {
        this.methods = methods;
        this.kind = kind;
    }

    @Override
    public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod, Assigner assigner,
                          Advice.ArgumentHandler argumentHandler, Sort sort) {
        ProbedMethod probed = methods.get(instrumentedMethod.getInternalName() + instrumentedMethod.getDescriptor());
        if (probed == null) {
            throw new IllegalStateException("no probe planned for " + instrumentedMethod);
        }
        return new Target.ForStackManipulation(load(probed, instrumentedMethod, assigner, argumentHandler));
    }

    private StackManipulation load(ProbedMethod probed, MethodDescription method, Assigner assigner,
                                   Advice.ArgumentHandler arguments) {
        if (kind == Kind.ID) {
            return IntegerConstant.forValue(probed.id);
        }
        if (kind == Kind.ARRAY) {
            if (probed.arrayArg < 0) {
                return NullConstant.INSTANCE;
            }
            ParameterDescription parameter = method.getParameters().get(probed.arrayArg);
            return MethodVariableAccess.REFERENCE.loadFrom(arguments.argument(parameter.getOffset()));
        }
        int k = kind.ordinal() - Kind.INT0.ordinal();
        if (k >= probed.intArgs.length) {
            return LongConstant.ZERO;
        }
        ParameterDescription parameter = method.getParameters().get(probed.intArgs[k]);
        return new StackManipulation.Compound(
                MethodVariableAccess.of(parameter.getType()).loadFrom(arguments.argument(parameter.getOffset())),
                assigner.assign(parameter.getType(), LONG.asGenericType(), Assigner.Typing.STATIC));
    }
}
