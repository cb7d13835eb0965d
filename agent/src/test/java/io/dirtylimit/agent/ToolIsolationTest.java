package io.dirtylimit.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;
import org.junit.jupiter.api.Test;

/**
 * The command-line tool's package is never loaded inside the emulator: no compiled class on the
 * emulator's side (the agent's other packages and the bridge) refers to it, nor to the JDK's
 * {@code jdk.attach} module it needs. Every type a class names (constant pool, descriptors,
 * signatures, annotations) is read with ASM.
 */
class ToolIsolationTest {
    private static final String TOOL = "io/dirtylimit/agent/tool/";
    private static final String ATTACH = "com/sun/tools/attach/";

    @Test
    void noEmulatorSideClassRefersToTheToolOrToTheAttachApi() throws Exception {
        Path classes = Path.of(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> emulatorSide = new ArrayList<>();
        List<Path> toolSide = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f ->
                    (classes.relativize(f).toString().replace('\\', '/').startsWith(TOOL) ? toolSide : emulatorSide).add(f));
        }
        assertThat(toolSide).as("the tool's classes are there to be avoided").isNotEmpty();
        assertThat(emulatorSide).hasSizeGreaterThan(40);
        List<String> offenders = new ArrayList<>();
        for (Path file : emulatorSide) {
            for (String name : referencedTypes(file)) {
                if (name.startsWith(TOOL) || name.startsWith(ATTACH)) {
                    offenders.add(classes.relativize(file) + " -> " + name);
                }
            }
        }
        assertThat(offenders).isEmpty();
        assertThat(referencedTypes(toolSide.stream().filter(f -> f.endsWith("TargetJvm.class")).findFirst().orElseThrow()))
                .as("the scan sees references in code: the tool's TargetJvm calls the Attach API").anyMatch(n -> n.startsWith(ATTACH));
    }

    private static Set<String> referencedTypes(Path classFile) throws IOException {
        Set<String> names = new TreeSet<>();
        Remapper collect = new Remapper(Opcodes.ASM9) {
            @Override
            public String map(String internalName) {
                names.add(internalName);
                return internalName;
            }
        };
        // A writer as the sink: it hands back method and field visitors, so the remapper walks the code too.
        new ClassReader(Files.readAllBytes(classFile)).accept(new ClassRemapper(new ClassWriter(0), collect), 0);
        return names;
    }
}
