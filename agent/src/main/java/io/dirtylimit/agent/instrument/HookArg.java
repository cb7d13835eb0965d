package io.dirtylimit.agent.instrument;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Advice parameter annotations that each hook binds to its own values (see {@link ValueMapping}):
 * the advice classes are shared, what they read is decided per hook and per instrumented method.
 */
final class HookArg {
    private HookArg() {}

    /** The hook's index in the profile (a constant). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Id {}

    /** The vCPU index read by the hook, or -1 ({@code Bridge.BY_THREAD}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Vcpu {}

    /** The page number or guest address. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Value {}

    /** The address-space object (space=this, space=argN, space=this.FIELD). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Space {}

    /** The store's size in bytes, or its exclusive end address (end=). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Size {}
}
