package io.dirtylimit.agent.instrument;

import io.dirtylimit.agent.profile.HookSpec;
import io.dirtylimit.agent.profile.Role;
import io.dirtylimit.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * The advice each hook role inlines: one static call into the bootstrap bridge, nothing else, so
 * the instrumented class gains no field, no method and no reference to anything but the bridge.
 * A failure while computing the call's values (a null array whose length is the size) or calling
 * the bridge is caught in the advice and reported through {@code Bridge.adviceFault}; should that
 * fail too (the bridge cannot be resolved from the class), Byte Buddy's suppression handler drops
 * it, and that handler only pops the exception: it references nothing and cannot throw (see
 * HookUnit). A new role adds its enter/exit pair here and its case in {@link #forRole}; stores with
 * {@code end=} and hooks with an object space have their own pairs ({@link #forHook}).
 */
final class Advices {
    private Advices() {}

    static final class RingFullEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Vcpu int vcpu) {
            try {
                Bridge.ringFull(hook, vcpu);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class RingFullExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook, @HookArg.Vcpu int vcpu) {
            try {
                Bridge.ringFull(hook, vcpu);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class DirtyPageEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Value long value) {
            try {
                Bridge.dirtyPage(hook, vcpu, value);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class DirtyPageExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Value long value) {
            try {
                Bridge.dirtyPage(hook, vcpu, value);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class StoreEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Value long address, @HookArg.Size long size) {
            try {
                Bridge.store(hook, vcpu, address, size);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class StoreExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Value long address, @HookArg.Size long size) {
            try {
                Bridge.store(hook, vcpu, address, size);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    // Stores with an exclusive end address (end=): the size is end - address.

    static final class StoreEndEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Value long address, @HookArg.Size long end) {
            try {
                Bridge.store(hook, vcpu, address, end - address);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class StoreEndExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Value long address, @HookArg.Size long end) {
            try {
                Bridge.store(hook, vcpu, address, end - address);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    // Hooks whose address space is an object (space=this, argN, this.FIELD): the object goes along.

    static final class DirtyPageInEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Space Object space, @HookArg.Value long value) {
            try {
                Bridge.dirtyPageIn(hook, vcpu, space, value);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class DirtyPageInExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Space Object space, @HookArg.Value long value) {
            try {
                Bridge.dirtyPageIn(hook, vcpu, space, value);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class StoreInEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Space Object space,
                          @HookArg.Value long address, @HookArg.Size long size) {
            try {
                Bridge.storeIn(hook, vcpu, space, address, size);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class StoreInExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Space Object space,
                         @HookArg.Value long address, @HookArg.Size long size) {
            try {
                Bridge.storeIn(hook, vcpu, space, address, size);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class StoreInEndEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Space Object space,
                          @HookArg.Value long address, @HookArg.Size long end) {
            try {
                Bridge.storeIn(hook, vcpu, space, address, end - address);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class StoreInEndExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook, @HookArg.Vcpu int vcpu, @HookArg.Space Object space,
                         @HookArg.Value long address, @HookArg.Size long end) {
            try {
                Bridge.storeIn(hook, vcpu, space, address, end - address);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class VcpuLoopEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Vcpu int vcpu) {
            try {
                Bridge.vcpuLoop(hook, vcpu);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class VcpuStepEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Vcpu int vcpu) {
            try {
                Bridge.vcpuStep(hook, vcpu);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class VcpuStepExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook, @HookArg.Vcpu int vcpu) {
            try {
                Bridge.vcpuStep(hook, vcpu);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    // Migration hooks: Value and Size carry the role's two numbers (see HookSpec).

    static final class MigrationStartEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Value long bandwidth, @HookArg.Size long downtime) {
            try {
                Bridge.migrationStart(hook, bandwidth, downtime);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class MigrationStartExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook, @HookArg.Value long bandwidth, @HookArg.Size long downtime) {
            try {
                Bridge.migrationStart(hook, bandwidth, downtime);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class MigrationPassEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook, @HookArg.Value long sent, @HookArg.Size long dirtied) {
            try {
                Bridge.migrationPass(hook, sent, dirtied);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class MigrationPassExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook, @HookArg.Value long sent, @HookArg.Size long dirtied) {
            try {
                Bridge.migrationPass(hook, sent, dirtied);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class MigrationEndEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@HookArg.Id int hook) {
            try {
                Bridge.migrationEnd(hook);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    static final class MigrationEndExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@HookArg.Id int hook) {
            try {
                Bridge.migrationEnd(hook);
            } catch (Throwable failure) {
                Bridge.adviceFault(failure);
            }
        }
    }

    /** The advice class for {@code hook}: its role, run at the method's entry or exit, with its space and size forms. */
    static Class<?> forHook(HookSpec hook) {
        boolean atExit = hook.atExit();
        if (hook.objectSpace()) {
            return switch (hook.role()) {
                case DIRTY_PAGE -> atExit ? DirtyPageInExit.class : DirtyPageInEnter.class;
                case STORE -> hook.sizeIsEnd() ? (atExit ? StoreInEndExit.class : StoreInEndEnter.class)
                        : (atExit ? StoreInExit.class : StoreInEnter.class);
                default -> throw new IllegalArgumentException(hook.role().keyword() + " takes no space object");
            };
        }
        if (hook.role() == Role.STORE && hook.sizeIsEnd()) {
            return atExit ? StoreEndExit.class : StoreEndEnter.class;
        }
        return forRole(hook.role(), atExit);
    }

    /** The advice class for {@code role}, run at the method's entry or exit. */
    static Class<?> forRole(Role role, boolean atExit) {
        return switch (role) {
            case RING_FULL -> atExit ? RingFullExit.class : RingFullEnter.class;
            case DIRTY_PAGE -> atExit ? DirtyPageExit.class : DirtyPageEnter.class;
            case STORE -> atExit ? StoreExit.class : StoreEnter.class;
            case VCPU_LOOP -> VcpuLoopEnter.class;
            case VCPU_STEP -> atExit ? VcpuStepExit.class : VcpuStepEnter.class;
            case MIGRATION_START -> atExit ? MigrationStartExit.class : MigrationStartEnter.class;
            case MIGRATION_PASS -> atExit ? MigrationPassExit.class : MigrationPassEnter.class;
            case MIGRATION_END -> atExit ? MigrationEndExit.class : MigrationEndEnter.class;
        };
    }
}
