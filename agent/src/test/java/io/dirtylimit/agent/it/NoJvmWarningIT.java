package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's demonstration prints no JVM warning on the JDK the tests run on (CI runs them on JDK 17
 * and 25): the bridge is defined in the boot loader, so the JVM does not say "Sharing is only
 * supported for boot loader classes because bootstrap classpath has been appended", and the agent's
 * Byte Buddy never touches sun.misc.Unsafe, so JDK 24+ prints no deprecation warning either. The
 * command is README's own, read from README.md, with the jars' paths and a shorter run.
 */
class NoJvmWarningIT {
    private static final String DEMO_PREFIX = "mvn -B -ntp -q package -DskipTests && ";
    private static final Pattern WARNING = Pattern.compile("(?i).*warning.*");

    @Test
    void theReadmeDemoPrintsNoWarning() throws Exception {
        List<String> command = readmeDemo();
        assertThat(command).as("README's demo command").startsWith("java").contains("-jar", "examples/target/toyvm.jar")
                .anyMatch(arg -> arg.startsWith("-javaagent:agent/target/dirtylimit-agent.jar="));
        List<String> args = new ArrayList<>();
        for (int i = 1; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg.equals("-jar")) {
                args.addAll(List.of("-cp", ItPaths.examplesClasspath().toString(), ToyVmProcess.TOYVM));
                i++;
            } else if (arg.startsWith("-javaagent:agent/target/dirtylimit-agent.jar")) {
                args.add(arg.replace("agent/target/dirtylimit-agent.jar", ItPaths.agentJar().toString()));
            } else if (arg.equals("--seconds")) {
                args.addAll(List.of("--seconds", "4"));
                i++;
            } else {
                args.add(arg);
            }
        }
        ForkedJvm.Finished demo = ForkedJvm.run(args, 120);
        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.out()).as("the toy VM ran with the agent").anyMatch(line -> line.matches("4,1,\\d+\\.\\d,.*"));
        List<String> all = new ArrayList<>(demo.out());
        all.addAll(demo.err());
        assertThat(all).as("java %s: %s", System.getProperty("java.version"), demo).noneMatch(line -> WARNING.matcher(line).matches());
    }

    /** The demo command in README.md's "Two commands", split into arguments. */
    private static List<String> readmeDemo() throws Exception {
        Path readme = ItPaths.repo().resolve("README.md");
        for (String line : Files.readAllLines(readme)) {
            String trimmed = line.trim();
            if (trimmed.startsWith(DEMO_PREFIX)) {
                return Arrays.asList(trimmed.substring(DEMO_PREFIX.length()).split("\\s+"));
            }
        }
        throw new AssertionError(readme + " has no line starting with '" + DEMO_PREFIX + "'");
    }
}
