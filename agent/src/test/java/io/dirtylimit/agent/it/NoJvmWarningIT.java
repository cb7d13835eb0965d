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

    /**
     * Class-data sharing keeps the emulator's own classes with the agent at start-up: an archive of
     * the toy VM's classes (dumped without the agent) still serves them when the agent is there, except
     * the one class the agent transforms. Appending the bridge to the bootstrap search path made the
     * JVM load every application class from its jar instead.
     */
    @Test
    void classDataSharingKeepsTheEmulatorsClasses() throws Exception {
        Path archive = ItPaths.scratch().resolve("toyvm-" + ProcessHandle.current().pid() + ".jsa");
        Files.deleteIfExists(archive);
        List<String> toyvm = List.of("-cp", ItPaths.examplesClasspath().toString(), ToyVmProcess.TOYVM,
                "--vcpus", "1", "--dirty-rate", "50", "--seconds", "2", "--stats", "none");
        List<String> dump = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + archive));
        dump.addAll(toyvm);
        ForkedJvm.Finished dumped = ForkedJvm.run(dump, 120);
        assertThat(dumped.exitCode()).as(dumped.toString()).isZero();
        assertThat(archive).as(dumped.toString()).isRegularFile();

        List<String> run = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info",
                ToyVmProcess.javaagent("profile=toyvm,limit=20")));
        run.addAll(toyvm);
        ForkedJvm.Finished shared = ForkedJvm.run(run, 120);
        assertThat(shared.exitCode()).as(shared.toString()).isZero();
        assertThat(shared.out()).as("the emulator's main class came from the archive")
                .anyMatch(line -> line.contains(" " + ToyVmProcess.TOYVM + " source: shared objects file"));
        assertThat(shared.out()).as("the bridge was defined directly in the boot loader")
                .anyMatch(line -> line.contains("io.dirtylimit.bridge.Bridge source: dirtylimit-agent (bridge)"));
        List<String> all = new ArrayList<>(shared.out());
        all.addAll(shared.err());
        assertThat(all).noneMatch(line -> WARNING.matcher(line).matches());
        Files.deleteIfExists(archive);
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
