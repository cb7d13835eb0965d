package io.dirtylimit.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirtylimit.bridge.Bridge;
import io.dirtylimit.bridge.BridgeHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The bridge's version: stated once, agreed on by the injector, pinned to the bridge's signatures. */
class BridgeVersionTest {
    /** The bridge's public methods at version 2. Changing one needs a new version number. */
    private static final List<String> VERSION_2 = List.of(
            "Bridge.adviceFault(Throwable) void",
            "Bridge.dirtyPage(int, int, long) void",
            "Bridge.dirtyPageIn(int, int, Object, long) void",
            "Bridge.handler() BridgeHandler",
            "Bridge.install(BridgeHandler) BridgeHandler",
            "Bridge.isIdle() boolean",
            "Bridge.migrationEnd(int) void",
            "Bridge.migrationPass(int, long, long) void",
            "Bridge.migrationStart(int, long, long) void",
            "Bridge.ringFull(int, int) void",
            "Bridge.store(int, int, long, long) void",
            "Bridge.storeIn(int, int, Object, long, long) void",
            "Bridge.vcpuLoop(int, int) void",
            "Bridge.vcpuStep(int, int) void",
            "BridgeHandler.dirtyPage(int, int, long) void",
            "BridgeHandler.dirtyPageIn(int, int, Object, long) void",
            "BridgeHandler.fault(int, Throwable) void",
            "BridgeHandler.migrationEnd(int) void",
            "BridgeHandler.migrationPass(int, long, long) void",
            "BridgeHandler.migrationStart(int, long, long) void",
            "BridgeHandler.ringFull(int, int) void",
            "BridgeHandler.store(int, int, long, long) void",
            "BridgeHandler.storeIn(int, int, Object, long, long) void",
            "BridgeHandler.vcpuLoop(int, int) void",
            "BridgeHandler.vcpuStep(int, int) void");

    @Test
    void theInjectorExpectsTheBridgesOwnVersion() {
        assertThat(BridgeInjector.BRIDGE_VERSION).isEqualTo(Bridge.VERSION);
    }

    @Test
    void theSignaturesAreThoseOfThisVersion() {
        List<String> signatures = Stream.of(Bridge.class, BridgeHandler.class)
                .flatMap(type -> Arrays.stream(type.getDeclaredMethods()))
                .filter(method -> Modifier.isPublic(method.getModifiers()))
                .map(BridgeVersionTest::signature).sorted().toList();
        assertThat(Bridge.VERSION).as("a new bridge version: pin its signatures here").isEqualTo(2);
        assertThat(signatures).as("the bridge's signatures changed: bump Bridge.VERSION and BridgeInjector.BRIDGE_VERSION")
                .containsExactlyElementsOf(VERSION_2);
    }

    @Test
    void anotherVersionIsRefusedWithWhatToDo() throws Exception {
        BridgeInjector.checkVersion(Bridge.VERSION, "0.1.0");
        assertThatThrownBy(() -> BridgeInjector.checkVersion(1, "0.0.9"))
                .isInstanceOf(IncompatibleBridgeException.class)
                .hasMessage("the bootstrap bridge in this JVM is version 1 (from before bridge versions), left by dirtylimit"
                        + " agent 0.0.9; it can never be unloaded, and this agent needs bridge version 2: nothing installed"
                        + " (use the agent version that was loaded first, or restart the emulator with this one)");
        assertThatThrownBy(() -> BridgeInjector.checkVersion(3, null))
                .hasMessageStartingWith("the bootstrap bridge in this JVM is version 3, left by an earlier dirtylimit agent;");
    }

    private static String signature(Method method) {
        StringBuilder text = new StringBuilder(method.getDeclaringClass().getSimpleName()).append('.')
                .append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i > 0 ? ", " : "").append(types[i].getSimpleName());
        }
        return text.append(") ").append(method.getReturnType().getSimpleName()).toString();
    }
}
