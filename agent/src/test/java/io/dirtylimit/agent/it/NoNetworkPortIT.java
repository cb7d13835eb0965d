package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing of ours opens a network port: the emulator's listening sockets (TCP and UDP, IPv4 and
 * IPv6, read from /proc/net for the socket inodes of /proc/PID/fd) are the same before and after
 * the agent is in and the tool has set, queried, calculated, switched the migration mode, attached
 * with new options and detached. The tool's way in is a Unix-domain socket in a directory only the
 * emulator's user may enter, gone after detach.
 */
class NoNetworkPortIT {

    @Test
    void theToolsCommandsOpenNoPortInTheEmulator() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")) && Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(ToyVmProcess.javaagent("profile=toyvm")),
                "--vcpus", "2", "--dirty-rate", "50", "--stats", "csv")) {
            vm.awaitSeconds(1);
            String pid = Long.toString(vm.pid());
            Set<String> before = listening(vm.pid());

            for (String[] command : List.of(new String[] {"set", pid, "100"}, new String[] {"query", pid},
                    new String[] {"query", pid, "--json"}, new String[] {"status", pid}, new String[] {"calc", pid, "--seconds", "0.2"},
                    new String[] {"migration", pid, "fit"}, new String[] {"set", pid, "--cpu", "1", "50"}, new String[] {"cancel", pid},
                    new String[] {"attach", pid, "limit=70,period=500ms"})) {
                ForkedJvm.Finished done = AgentCli.run(command);
                assertThat(done.exitCode()).as(done.toString()).isZero();
            }
            Set<String> during = listening(vm.pid());

            Path socket = Path.of(controlSocket(vm.pid()));
            assertThat(Files.getPosixFilePermissions(socket.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getOwner(socket.getParent()).getName()).isEqualTo(System.getProperty("user.name"));

            ForkedJvm.Finished detach = AgentCli.run("detach", pid);
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(socket.getParent()).doesNotExist();
            Set<String> after = listening(vm.pid());

            assertThat(during).as("listening sockets while the tool drives the agent (before: %s)", before).isEqualTo(before);
            assertThat(after).as("listening sockets after detach").isEqualTo(before);
            assertThat(before).as("the toy VM itself listens on nothing").isEmpty();
        }
    }

    /**
     * The socket's directory does not outlive the emulator: gone when it exits without a detach (the
     * agent's exit hook), and, when it is killed (no hook runs), removed by the next agent to start.
     */
    @Test
    void theSocketsDirectoryGoesWithTheEmulator() throws Exception {
        Path killed;
        try (ToyVmProcess first = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(ToyVmProcess.javaagent("profile=toyvm")),
                "--vcpus", "1", "--dirty-rate", "20", "--stats", "csv")) {
            first.awaitSeconds(1);
            killed = Path.of(controlSocket(first.pid())).getParent();
            first.jvm.kill();
            assertThat(killed).as("a killed JVM's directory, before another agent starts").exists();
        }
        try (ToyVmProcess second = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(ToyVmProcess.javaagent("profile=toyvm")),
                "--vcpus", "1", "--dirty-rate", "20", "--stats", "csv")) {
            second.awaitSeconds(1);
            Path exiting = Path.of(controlSocket(second.pid())).getParent();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(killed).as("the killed JVM's directory, once another agent has started").doesNotExist());
            assertThat(exiting).exists();
            second.jvm.send("quit");
            await().atMost(Duration.ofSeconds(30)).until(() -> !second.jvm.isAlive());
            assertThat(exiting).as("the directory of an emulator that quit with the agent attached").doesNotExist();
        }
    }

    /** The control socket's path, as the tool finds it: the system property the agent publishes. */
    private static String controlSocket(long pid) throws Exception {
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid));
        try {
            return vm.getSystemProperties().getProperty("io.dirtylimit.agent.control");
        } finally {
            vm.detach();
        }
    }

    /** The process's listening TCP and bound UDP sockets, as "tcp6 :::PORT"-like entries. */
    static Set<String> listening(long pid) throws IOException {
        Set<String> inodes = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        Set<String> found = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path file = Path.of("/proc/net", table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                boolean listens = table.startsWith("tcp") ? f[3].equals("0A") : f[3].equals("07");
                if (listens && inodes.contains(f[9])) {
                    found.add(table + " " + f[1]);
                }
            }
        }
        return found;
    }
}
