package io.dirtylimit.agent.instrument;

import io.dirtylimit.agent.profile.ValueSource;
import java.util.function.IntUnaryOperator;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.collection.ArrayLength;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.implementation.bytecode.constant.LongConstant;
import net.bytebuddy.implementation.bytecode.member.FieldAccess;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Binds one advice parameter of one hook to a {@link ValueSource}, resolved for each instrumented
 * method: an argument, a field of {@code this}, a constant or an array argument's length, converted
 * to the advice parameter's {@code int} or {@code long} (zero-extended when the source is unsigned,
 * then scaled), or an object ({@code this}, an object argument or field: an address space). A
 * source that the method cannot provide (no such argument, not an integer or not an object, a
 * missing or inaccessible field, {@code this} in a static method) is refused with a message by
 * {@link #check}, before anything is instrumented.
 */
final class ValueMapping implements Advice.OffsetMapping {
    /** The advice parameter's type. */
    enum Width { INT, LONG, OBJECT }

    private final String key;
    private final ValueSource source;
    private final Width width;

    ValueMapping(String key, ValueSource source, Width width) {
        this.key = key;
        this.source = source;
        this.width = width;
    }

    @Override
    public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod, Assigner assigner,
                          Advice.ArgumentHandler argumentHandler, Sort sort) {
        return new Target.ForStackManipulation(load(instrumentedType, instrumentedMethod, argumentHandler::argument));
    }

    /** Null if {@code method} of {@code type} can provide the value, else why it cannot. */
    String check(TypeDescription type, MethodDescription method) {
        try {
            load(type, method, offset -> offset);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Code that pushes the value; {@code slot} maps a parameter offset to its local variable. */
    private StackManipulation load(TypeDescription type, MethodDescription method, IntUnaryOperator slot) {
        if (width == Width.OBJECT) {
            return loadObject(type, method, slot);
        }
        if (source.scale() == ValueSource.Scale.SHIFT_ONE) {
            // 1L << value: the shift count is an int on top of the long 1.
            return new StackManipulation.Compound(LongConstant.forValue(1), loadInteger(type, method, slot, Width.INT), Insn.LSHL);
        }
        StackManipulation value = loadInteger(type, method, slot, width);
        return switch (source.scale()) {
            case NONE, SHIFT_ONE -> value;
            case MULTIPLY -> new StackManipulation.Compound(value, LongConstant.forValue(source.factor()), Insn.LMUL);
            case DIVIDE_UP -> new StackManipulation.Compound(value, LongConstant.forValue(source.factor() - 1), Insn.LADD,
                    LongConstant.forValue(source.factor()), Insn.LDIV);
        };
    }

    private StackManipulation loadInteger(TypeDescription type, MethodDescription method, IntUnaryOperator slot, Width as) {
        return switch (source.kind()) {
            case THREAD -> IntegerConstant.forValue(-1);
            case CONSTANT -> as == Width.LONG ? LongConstant.forValue(source.constant())
                    : IntegerConstant.forValue((int) source.constant());
            case ARG -> {
                ParameterDescription parameter = parameter(method, source.arg());
                yield new StackManipulation.Compound(
                        MethodVariableAccess.of(parameter.getType()).loadFrom(slot.applyAsInt(parameter.getOffset())),
                        convert(parameter.getType().asErasure(), "arg" + source.arg(), as));
            }
            case ARRAY_LENGTH -> {
                ParameterDescription parameter = parameter(method, source.arg());
                if (!parameter.getType().isArray()) {
                    throw new IllegalStateException(key + "=length(arg" + source.arg() + ") but arg" + source.arg()
                            + " is " + parameter.getType().asErasure().getActualName() + ", not an array");
                }
                yield new StackManipulation.Compound(
                        MethodVariableAccess.REFERENCE.loadFrom(slot.applyAsInt(parameter.getOffset())),
                        ArrayLength.INSTANCE,
                        convert(TypeDescription.ForLoadedType.of(int.class), "length(arg" + source.arg() + ")", as));
            }
            case FIELD -> readField(type, method, slot, as);
            case THIS -> throw new IllegalStateException(key + "=this is an object, not an integer");
        };
    }

    /** An address-space object: {@code this}, an object argument or an object field. */
    private StackManipulation loadObject(TypeDescription type, MethodDescription method, IntUnaryOperator slot) {
        return switch (source.kind()) {
            case THIS -> {
                if (method.isStatic()) {
                    throw new IllegalStateException(key + "=this but the method is static (it has no this)");
                }
                yield MethodVariableAccess.REFERENCE.loadFrom(slot.applyAsInt(Advice.ArgumentHandler.THIS_REFERENCE));
            }
            case ARG -> {
                ParameterDescription parameter = parameter(method, source.arg());
                if (parameter.getType().isPrimitive()) {
                    throw new IllegalStateException(key + "=arg" + source.arg() + " is " + parameter.getType().asErasure().getActualName()
                            + ", not an object");
                }
                yield MethodVariableAccess.REFERENCE.loadFrom(slot.applyAsInt(parameter.getOffset()));
            }
            case FIELD -> {
                FieldDescription.InDefinedShape field = accessibleField(type);
                if (field.getType().isPrimitive()) {
                    throw new IllegalStateException(key + "=this." + source.field() + " is " + field.getType().asErasure().getActualName()
                            + ", not an object");
                }
                yield fieldRead(field, method, slot, StackManipulation.Trivial.INSTANCE);
            }
            default -> throw new IllegalStateException(key + "=" + source + " is not an object");
        };
    }

    private ParameterDescription parameter(MethodDescription method, int index) {
        if (index >= method.getParameters().size()) {
            throw new IllegalStateException(key + "=arg" + index + " but the method has "
                    + method.getParameters().size() + " parameter(s)");
        }
        return method.getParameters().get(index);
    }

    private StackManipulation readField(TypeDescription type, MethodDescription method, IntUnaryOperator slot, Width as) {
        FieldDescription.InDefinedShape field = accessibleField(type);
        return fieldRead(field, method, slot, convert(field.getType().asErasure(), "this." + source.field(), as));
    }

    private FieldDescription.InDefinedShape accessibleField(TypeDescription type) {
        FieldDescription.InDefinedShape field = findField(type, source.field());
        if (!field.isVisibleTo(type)) {
            throw new IllegalStateException(key + "=this." + source.field() + " but that field of "
                    + field.getDeclaringType().getActualName() + " is not accessible from " + type.getActualName());
        }
        return field;
    }

    private StackManipulation fieldRead(FieldDescription.InDefinedShape field, MethodDescription method, IntUnaryOperator slot,
                                        StackManipulation conversion) {
        StackManipulation read = FieldAccess.forField(field).read();
        if (field.isStatic()) {
            return new StackManipulation.Compound(read, conversion);
        }
        if (method.isStatic()) {
            throw new IllegalStateException(key + "=this." + source.field() + " but the method is static");
        }
        return new StackManipulation.Compound(
                MethodVariableAccess.REFERENCE.loadFrom(slot.applyAsInt(Advice.ArgumentHandler.THIS_REFERENCE)),
                read,
                conversion);
    }

    private FieldDescription.InDefinedShape findField(TypeDescription type, String name) {
        for (TypeDefinition current = type; current != null; current = current.getSuperClass()) {
            var fields = current.asErasure().getDeclaredFields().filter(ElementMatchers.named(name));
            if (!fields.isEmpty()) {
                return fields.getOnly();
            }
        }
        throw new IllegalStateException(key + "=this." + name + " but " + type.getActualName() + " has no field " + name);
    }

    /**
     * Converts an integer of {@code type} on the stack to {@code as}; to a long, an unsigned source
     * narrower than long is zero-extended (an int address of 3 GiB stays 3 GiB).
     */
    private StackManipulation convert(TypeDescription type, String what, Width as) {
        String name = type.getActualName();
        boolean isLong = name.equals("long");
        boolean isInt = name.equals("int") || name.equals("short") || name.equals("byte") || name.equals("char");
        if (!isLong && !isInt) {
            throw new IllegalStateException(key + "=" + what + " is " + name + ", not an integer (byte, short, char, int, long)");
        }
        if (as == Width.INT) {
            return isLong ? Insn.L2I : StackManipulation.Trivial.INSTANCE;
        }
        if (isLong) {
            return StackManipulation.Trivial.INSTANCE;
        }
        long mask = switch (name) {
            case "int" -> 0xFFFF_FFFFL;
            case "short" -> 0xFFFFL;
            case "byte" -> 0xFFL;
            default -> 0; // char is unsigned already
        };
        if (!source.unsigned() || mask == 0) {
            return Insn.I2L;
        }
        return new StackManipulation.Compound(Insn.I2L, LongConstant.forValue(mask), Insn.LAND);
    }

    /** A single conversion instruction. */
    private enum Insn implements StackManipulation {
        I2L(Opcodes.I2L, 1),
        L2I(Opcodes.L2I, -1),
        LAND(Opcodes.LAND, -2),
        LADD(Opcodes.LADD, -2),
        LMUL(Opcodes.LMUL, -2),
        LDIV(Opcodes.LDIV, -2),
        LSHL(Opcodes.LSHL, -1);

        private final int opcode;
        private final int sizeChange;

        Insn(int opcode, int sizeChange) {
            this.opcode = opcode;
            this.sizeChange = sizeChange;
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public Size apply(MethodVisitor visitor, Implementation.Context context) {
            visitor.visitInsn(opcode);
            return new Size(sizeChange, Math.max(sizeChange, 0));
        }
    }
}
