package io.dirtylimit.agent.tool;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.util.Optional;

/**
 * Why the tool cannot reach a process, in one sentence with a distinct exit code: no such process,
 * another user's process, not a JVM. Checked before attaching (the Attach API's own errors are
 * vague and slow for the first two) and again when attaching fails.
 */
final class AttachDiagnosis {
    private AttachDiagnosis() {}

    /** Fails when {@code pid} is not a live process of the user running the tool. */
    static void checkReachable(long pid) throws ToolFailure {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        check(pid, handle.isPresent() && handle.get().isAlive(),
                handle.flatMap(h -> h.info().user()), System.getProperty("user.name"));
        checkLooksLikeJvm(pid);
    }

    /** The pure rule, for tests: a live process owned by {@code me} (root reaches every process, as the JVM allows). */
    static void check(long pid, boolean alive, Optional<String> owner, String me) throws ToolFailure {
        if (!alive) {
            throw new ToolFailure(Cli.NO_SUCH_PROCESS, "there is no process " + pid);
        }
        if (owner.isPresent() && !owner.get().equals(me) && !"root".equals(me)) {
            throw new ToolFailure(Cli.OTHER_USER, "process " + pid + " belongs to user " + owner.get()
                    + ", not to " + me + ": the Attach API only admits the process's own user (run the tool as " + owner.get() + ")");
        }
    }

    /**
     * Fails at once for a live process that is certainly no JVM: not in the Attach API's list and,
     * where /proc tells, without libjvm mapped (attaching to it would wait 10 s for nothing).
     */
    static void checkLooksLikeJvm(long pid) throws ToolFailure {
        if (isListed(pid)) {
            return;
        }
        java.nio.file.Path maps = java.nio.file.Path.of("/proc", Long.toString(pid), "maps");
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(maps)) {
            if (lines.noneMatch(line -> line.contains("libjvm"))) {
                throw notAJvm(pid, "no JVM library loaded");
            }
        } catch (java.io.IOException | java.io.UncheckedIOException | SecurityException e) {
            // no /proc here: let the Attach API decide
        }
    }

    private static boolean isListed(long pid) {
        return VirtualMachine.list().stream().map(VirtualMachineDescriptor::id).anyMatch(Long.toString(pid)::equals);
    }

    private static ToolFailure notAJvm(long pid, String why) {
        return new ToolFailure(Cli.NOT_A_JVM, "process " + pid + " (" + command(pid) + ") is not a Java virtual machine"
                + " that accepts the Attach API (" + why + ")");
    }

    /** Attaching failed although the process is alive and ours: not a JVM, or one that does not answer. */
    static ToolFailure attachFailed(long pid, Exception cause) {
        try {
            checkReachable(pid);
        } catch (ToolFailure failure) {
            return failure;
        }
        if (!isListed(pid)) {
            return notAJvm(pid, cause.getMessage());
        }
        return new ToolFailure(Cli.CANNOT_ATTACH, "cannot attach to process " + pid + ": " + cause.getMessage()
                + " (a JVM started with -XX:+DisableAttachMechanism, or its attach files in the temporary directory deleted?)");
    }

    private static String command(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("unknown command");
    }
}
