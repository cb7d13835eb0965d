package io.dirtylimit.agent.discover;

import io.dirtylimit.probe.Probe;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;

/**
 * The advice every probe inlines: one static call into the bootstrap probe, nothing else, so the
 * probed class gains no field, no method and no reference to anything but the probe. What each
 * parameter carries is decided per probed method by {@link ProbeMapping}; failures are suppressed.
 */
final class ProbeAdvice {
    private ProbeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Id int method, @Int0 long a0, @Int1 long a1, @Int2 long a2, @Int3 long a3,
                      @FirstArray Object array, @Advice.This(optional = true) Object self) {
        Probe.call(method, a0, a1, a2, a3, array, self);
    }

    /** The probed method's index (a constant). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Id {}

    /** The method's first int or long argument, widened to long; 0 if it has none. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Int0 {}

    /** The second. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Int1 {}

    /** The third. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Int2 {}

    /** The fourth. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Int3 {}

    /** The method's first array argument; null if it has none. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface FirstArray {}
}
