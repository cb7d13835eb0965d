package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The built agent jar: manifest, nothing of Byte Buddy or ASM left under its own name, and only what
 * runs in production (no demo, no simulator).
 */
class AgentJarIT {
    private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/(\\d+)/(.*)");

    @Test
    void theManifestMakesItAnAgentAndATool() throws IOException {
        try (JarFile jar = new JarFile(ItPaths.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("io.dirtylimit.agent.AgentMain");
            assertThat(main.getValue("Agent-Class")).isEqualTo("io.dirtylimit.agent.AgentMain");
            assertThat(main.getValue("Main-Class")).isEqualTo("io.dirtylimit.agent.tool.Cli");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(main.getValue("Can-Redefine-Classes")).isEqualTo("true");
            assertThat(main.getValue("Multi-Release")).isEqualTo("true");
        }
    }

    @Test
    void everyClassIsUnderIoDirtylimitExactlyOnce() throws IOException {
        List<String> outside = new ArrayList<>();
        Map<String, List<String>> copies = new HashMap<>();
        try (JarFile jar = new JarFile(ItPaths.agentJar().toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                Matcher versioned = VERSIONED.matcher(name);
                String path = versioned.matches() ? versioned.group(2) : name;
                if (path.endsWith(".class")) {
                    if (!path.startsWith("io/dirtylimit/")) {
                        outside.add(name);
                    }
                    copies.computeIfAbsent(path, p -> new ArrayList<>()).add(name);
                } else if (!name.startsWith("META-INF/") && !name.startsWith("io/dirtylimit/")) {
                    outside.add(name);
                }
            }
        }
        assertThat(outside).as("entries outside io/dirtylimit/ and META-INF/").isEmpty();
        assertThat(copies.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getValue))
                .as("classes present more than once").isEmpty();
        assertThat(copies).containsKeys(
                "io/dirtylimit/agent/AgentMain.class",
                "io/dirtylimit/bridge/Bridge.class",
                "io/dirtylimit/core/DirtyLimiter.class",
                "io/dirtylimit/agent/shaded/bytebuddy/ByteBuddy.class",
                "io/dirtylimit/agent/shaded/bytebuddy/jar/asm/ClassReader.class",
                "io/dirtylimit/agent/shaded/bytebuddy/jar/asmjdkbridge/JdkClassWriter.class");
        assertThat(copies.get("io/dirtylimit/agent/shaded/bytebuddy/jar/asmjdkbridge/JdkClassWriter.class"))
                .containsExactly("META-INF/versions/24/io/dirtylimit/agent/shaded/bytebuddy/jar/asmjdkbridge/JdkClassWriter.class");
    }

    @Test
    void noClassStillRefersToByteBuddyOrAsmUnderTheirOwnNames() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (JarFile jar = new JarFile(ItPaths.agentJar().toFile())) {
            for (JarEntry entry : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                String text = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                if (text.contains("net/bytebuddy/") || text.contains("org/objectweb/asm/")) {
                    offenders.add(entry.getName());
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void itHoldsOnlyWhatRunsInProduction() throws IOException {
        List<String> names;
        try (JarFile jar = new JarFile(ItPaths.agentJar().toFile())) {
            names = jar.stream().map(JarEntry::getName).toList();
        }
        assertThat(names).as("the core's simulator").noneMatch(name -> name.startsWith("io/dirtylimit/core/sim/"));
        assertThat(names).as("demos and their helpers (they live in bench)")
                .noneMatch(name -> name.contains("Demo") || name.contains("ThreadSchedstat") || name.startsWith("io/dirtylimit/bench/"));
        assertThat(names).as("what does run: the migration policy, the tool, the agent's packages").contains(
                "io/dirtylimit/core/migration/MigrationGovernor.class",
                "io/dirtylimit/agent/control/LimitService.class",
                "io/dirtylimit/agent/tool/Cli.class",
                "io/dirtylimit/agent/profile/ProfileParser.class",
                "io/dirtylimit/agent/instrument/HookInstaller.class",
                "io/dirtylimit/agent/runtime/Dispatcher.class");
    }

    @Test
    void theBuiltInProfilesAreInside() throws IOException {
        try (JarFile jar = new JarFile(ItPaths.agentJar().toFile())) {
            for (String name : List.of("toyvm", "toyvm-bitmap", "toyvm-store")) {
                assertThat(jar.getEntry("io/dirtylimit/agent/profiles/" + name + ".profile")).as(name).isNotNull();
            }
        }
    }
}
