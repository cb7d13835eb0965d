package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attaching this agent to a JVM whose bootstrap class loader already holds a bridge of another
 * version (an earlier or later agent's; it can never be unloaded): refused with a clear message,
 * nothing installed, the emulator runs on. The other bridge is put there with -Xbootclasspath/a.
 */
class BridgeVersionIT {

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void anotherBridgeVersionIsRefused(int version) throws Exception {
        Path oldBridge = bridgeJar(version);
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of("-Xbootclasspath/a:" + oldBridge),
                "--vcpus", "1", "--dirty-rate", "50", "--stats", "csv")) {
            vm.awaitSeconds(1);
            String pid = Long.toString(vm.pid());
            ForkedJvm.Finished attach = AgentCli.run("attach", pid, "profile=toyvm,limit=10");
            assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(1);
            assertThat(attach.outText()).contains("error: the bootstrap bridge in this JVM is version " + version
                    + (version == 1 ? " (from before bridge versions)" : ""))
                    .contains("this agent needs bridge version 2: nothing installed")
                    .endsWith("result: error");
            assertThat(attach.outText()).doesNotContain("installed (by attach)");

            ForkedJvm.Finished status = AgentCli.run("status", pid);
            assertThat(status.exitCode()).as(status.toString()).isEqualTo(8);
            ForkedJvm.Finished detach = AgentCli.run("detach", pid);
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(detach.outText()).contains("not active");

            int after = vm.lastSecond();
            vm.awaitSeconds(ToyVmProcess.WINDOW + 1);
            vm.awaitRate(0, after, rate -> rate > 35, "runs on unlimited at about 50 MB/s");
            assertThat(vm.jvm.isAlive()).isTrue();
            assertThat(vm.jvm.err()).noneMatch(line -> line.contains("Exception") || line.contains("Error:"));
        }
    }

    /** The bridge classes of this build, with Bridge's VERSION field removed (1) or set to {@code version}. */
    private static Path bridgeJar(int version) throws IOException {
        Path jar = ItPaths.scratch().resolve("bridge-v" + version + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : List.of("io/dirtylimit/bridge/Bridge", "io/dirtylimit/bridge/BridgeHandler",
                    "io/dirtylimit/bridge/Bridge$NoOp")) {
                byte[] bytes = classBytes(name);
                out.putNextEntry(new JarEntry(name + ".class"));
                out.write(name.equals("io/dirtylimit/bridge/Bridge") ? withVersion(bytes, version) : bytes);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static byte[] withVersion(byte[] bridge, int version) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(bridge).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                if (name.equals("VERSION")) {
                    return version == 1 ? null : super.visitField(access, name, descriptor, signature, version);
                }
                return super.visitField(access, name, descriptor, signature, value);
            }
        }, 0);
        return writer.toByteArray();
    }

    private static byte[] classBytes(String name) throws IOException {
        try (InputStream in = BridgeVersionIT.class.getClassLoader().getResourceAsStream(name + ".class")) {
            if (in == null) {
                throw new IOException("no " + name + " on the test class path");
            }
            return in.readAllBytes();
        }
    }
}
