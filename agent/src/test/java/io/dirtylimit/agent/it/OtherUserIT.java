package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tool refuses another user's JVM, for real: with two OS users, not a mocked owner. It needs to
 * run as root (CI and this project's machines do) to start processes as {@code nobody} and
 * {@code daemon} with {@code setpriv}; elsewhere it is skipped and {@code ControlToolTest} keeps the
 * rule's unit test. Three cases: the tool as {@code nobody} against root's emulator, the tool as
 * {@code daemon} against {@code nobody}'s emulator (two unprivileged users), and the JVM's own
 * boundary without our check: the Attach API run as {@code daemon} cannot attach to {@code nobody}'s JVM.
 */
class OtherUserIT {
    private static final String NOBODY = "65534";
    private static final String DAEMON = "1";

    @Test
    void theToolRefusesAnotherUsersEmulator() throws Exception {
        assumeTrue(canSwitchUsers(), "needs root, setpriv and the users nobody (65534) and daemon (1)");
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of(ToyVmProcess.javaagent("profile=toyvm")),
                "--vcpus", "1", "--dirty-rate", "20", "--stats", "csv")) {
            vm.awaitSeconds(1);
            String pid = Long.toString(vm.pid());
            for (String[] command : List.of(new String[] {"status", pid}, new String[] {"set", pid, "10"},
                    new String[] {"attach", pid, "limit=10"}, new String[] {"detach", pid})) {
                Result result = toolAs(NOBODY, command);
                assertThat(result.exit()).as(result.toString()).isEqualTo(7);
                assertThat(result.err()).as(result.toString()).isEqualTo("dirtylimit: process " + pid + " belongs to user root, not to"
                        + " nobody: the Attach API only admits the process's own user (run the tool as root)");
            }
            ForkedJvm.Finished mine = AgentCli.run("status", pid);
            assertThat(mine.exitCode()).as("the emulator's own user still gets in: %s", mine).isZero();
            assertThat(mine.outText()).contains("limits: none (prepared)");
        }
    }

    @Test
    void twoUnprivilegedUsersCannotReachEachOther() throws Exception {
        assumeTrue(canSwitchUsers(), "needs root, setpriv and the users nobody (65534) and daemon (1)");
        Path scratch = Files.createDirectories(ItPaths.scratch().resolve("other-user"));
        Process emulator = as(NOBODY, List.of(ItPaths.java(), "-XX:+EnableDynamicAgentLoading", ToyVmProcess.javaagent("profile=toyvm"),
                "-cp", ItPaths.examplesClasspath().toString(), ToyVmProcess.TOYVM, "--vcpus", "1", "--dirty-rate", "20",
                "--stats", "none", "--seconds", "120"), scratch);
        try {
            awaitJvm(emulator.pid());
            String pid = Long.toString(emulator.pid());
            Result refused = toolAs(DAEMON, "set", pid, "10");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(7);
            assertThat(refused.err()).contains("belongs to user nobody, not to daemon");

            Path probe = scratch.resolve("AttachProbe.java");
            Files.writeString(probe, """
                    public class AttachProbe {
                        public static void main(String[] args) throws Exception {
                            try {
                                com.sun.tools.attach.VirtualMachine.attach(args[0]).detach();
                                System.out.println("attached");
                            } catch (Exception e) {
                                System.out.println("refused: " + e);
                            }
                        }
                    }
                    """);
            probe.toFile().setReadable(true, false);
            Result jvm = run(as(DAEMON, List.of(ItPaths.java(), probe.toString(), pid), scratch));
            assertThat(jvm.out()).as(jvm.toString()).startsWith("refused: ");

            Result owner = toolAs(NOBODY, "status", pid);
            assertThat(owner.exit()).as("nobody reaches its own emulator: %s", owner).isZero();
        } finally {
            emulator.destroy(); // SIGTERM: its agent's exit hook removes its socket directory (no other user's agent would)
            if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
                emulator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    record Result(int exit, String out, String err) {}

    private static Result toolAs(String uid, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ItPaths.java(), "-jar", ItPaths.agentJar().toString()));
        command.addAll(List.of(args));
        return run(as(uid, command, ItPaths.scratch()));
    }

    private static Process as(String uid, List<String> command, Path dir) throws IOException {
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"));
        all.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(all).directory(Path.of("/tmp").toFile());
        builder.environment().put("HOME", "/tmp");
        return builder.start();
    }

    private static Result run(Process process) throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("no answer within 120 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes()).strip(),
                new String(process.getErrorStream().readAllBytes()).strip());
    }

    /** Waits until the JVM of {@code pid} (another user's) has its statistics file, i.e. runs main. */
    private static void awaitJvm(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(Path.of("/tmp/hsperfdata_nobody/" + pid)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1_000);
    }

    private static boolean canSwitchUsers() {
        try {
            if (!"root".equals(System.getProperty("user.name"))) {
                return false;
            }
            Process check = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "id", "-un").start();
            Process other = new ProcessBuilder("setpriv", "--reuid=" + DAEMON, "--regid=" + DAEMON, "--clear-groups", "id", "-un").start();
            return check.waitFor(10, TimeUnit.SECONDS) && check.exitValue() == 0
                    && new String(check.getInputStream().readAllBytes()).strip().equals("nobody")
                    && other.waitFor(10, TimeUnit.SECONDS) && other.exitValue() == 0
                    && new String(other.getInputStream().readAllBytes()).strip().equals("daemon");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
