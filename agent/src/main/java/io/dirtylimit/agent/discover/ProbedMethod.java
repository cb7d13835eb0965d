package io.dirtylimit.agent.discover;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * One method a discover probes: its index (the probe's method number), where it is, and which of
 * its arguments the probe passes: the first {@link ProbeRecorder#INT_PARAMS} {@code int} or
 * {@code long} arguments and the first array argument.
 */
final class ProbedMethod {
    final int id;
    final Class<?> owner;
    final String name;
    final String descriptor;
    final List<String> parameterTypes;
    /** Argument indexes of the integer arguments the probe passes, in order. */
    final int[] intArgs;
    /** Their types, {@code int} or {@code long}. */
    final String[] intTypes;
    /** The first array argument's index, or -1. */
    final int arrayArg;
    final boolean isStatic;
    final String returnType;

    private ProbedMethod(int id, Method method, String descriptor) {
        this.id = id;
        this.owner = method.getDeclaringClass();
        this.name = method.getName();
        this.descriptor = descriptor;
        this.isStatic = Modifier.isStatic(method.getModifiers());
        this.returnType = method.getReturnType().getTypeName();
        Class<?>[] types = method.getParameterTypes();
        List<String> names = new ArrayList<>();
        List<Integer> ints = new ArrayList<>();
        int array = -1;
        for (int i = 0; i < types.length; i++) {
            names.add(types[i].getTypeName());
            if (isInteger(types[i]) && ints.size() < ProbeRecorder.INT_PARAMS) {
                ints.add(i);
            }
            if (types[i].isArray() && array < 0) {
                array = i;
            }
        }
        this.parameterTypes = List.copyOf(names);
        this.intArgs = ints.stream().mapToInt(Integer::intValue).toArray();
        this.intTypes = ints.stream().map(i -> types[i].getTypeName()).toArray(String[]::new);
        this.arrayArg = array;
    }

    static ProbedMethod of(int id, Method method) {
        return new ProbedMethod(id, method, net.bytebuddy.jar.asm.Type.getMethodDescriptor(method));
    }

    static boolean isInteger(Class<?> type) {
        return type == int.class || type == long.class;
    }

    /** {@code name + descriptor}, how the transformer finds it. */
    String key() {
        return name + descriptor;
    }

    String className() {
        return owner.getName();
    }

    /** The array argument's component type name, or empty. */
    String arrayType() {
        return arrayArg < 0 ? "" : parameterTypes.get(arrayArg);
    }

    @Override
    public String toString() {
        return className() + "." + name + "(" + String.join(", ", parameterTypes) + ")";
    }
}
