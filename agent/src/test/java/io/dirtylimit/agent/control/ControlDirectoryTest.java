package io.dirtylimit.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket's directory: private, and those of JVMs that are gone removed, nothing else. */
class ControlDirectoryTest {
    /** Above Linux's largest pid_max (2^22): no such process. */
    private static final long NO_SUCH_PID = 999_999_999L;

    @TempDir
    Path parent;

    @Test
    void aNewDirectoryIsThisUsersAloneAndRemoveTakesItWithItsSocket() throws Exception {
        Path mine = ControlDirectory.create(parent);
        assertThat(mine.getFileName().toString()).matches("dirtylimit-" + ProcessHandle.current().pid() + "-\\d+");
        assertThat(Files.getPosixFilePermissions(mine)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Files.createFile(mine.resolve(ControlDirectory.SOCKET));
        ControlDirectory.remove(mine);
        assertThat(mine).doesNotExist();
        ControlDirectory.remove(mine); // twice: nothing to do, nothing thrown
    }

    @Test
    void theDirectoriesOfJvmsThatAreGoneAreRemovedAndNothingElse() throws Exception {
        Path mine = ControlDirectory.create(parent);
        Path dead = socketDirectory("dirtylimit-" + NO_SUCH_PID + "-1");
        Path exited = socketDirectory("dirtylimit-" + exitedPid() + "-2");
        Path emptyDead = Files.createDirectory(parent.resolve("dirtylimit-" + NO_SUCH_PID + "-3"));
        Path alive = socketDirectory("dirtylimit-" + ProcessHandle.current().pid() + "-4");
        Path moreThanASocket = socketDirectory("dirtylimit-" + NO_SUCH_PID + "-5");
        Files.writeString(moreThanASocket.resolve("notes.txt"), "not ours to remove");
        Path notOurs = Files.createDirectory(parent.resolve("dirtylimit-soak-6"));
        Path target = Files.createDirectory(parent.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(parent.resolve("dirtylimit-" + NO_SUCH_PID + "-7"), target);
        Path listened = Files.createDirectory(parent.resolve("dirtylimit-" + NO_SUCH_PID + "-8"));

        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            // a JVM in another PID namespace, sharing the directory: its PID means nothing here, its socket answers
            server.bind(UnixDomainSocketAddress.of(listened.resolve(ControlDirectory.SOCKET)));
            assertThat(ControlDirectory.removeStale(parent, mine)).isEqualTo(3);
        }

        assertThat(dead).doesNotExist();
        assertThat(exited).doesNotExist();
        assertThat(emptyDead).doesNotExist();
        assertThat(mine).exists();
        assertThat(alive.resolve(ControlDirectory.SOCKET)).exists();
        assertThat(moreThanASocket.resolve("notes.txt")).exists();
        assertThat(notOurs).exists();
        assertThat(link).isSymbolicLink();
        assertThat(target).exists();
        assertThat(listened.resolve(ControlDirectory.SOCKET)).exists();
    }

    @Test
    void aMissingParentIsNoError() {
        Path mine = parent.resolve("mine");
        assertThat(ControlDirectory.removeStale(parent.resolve("no-such-directory"), mine)).isZero();
    }

    private Path socketDirectory(String name) throws Exception {
        Path directory = Files.createDirectory(parent.resolve(name));
        Files.createFile(directory.resolve(ControlDirectory.SOCKET));
        return directory;
    }

    /** The PID of a process that has exited. */
    private static long exitedPid() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.waitFor();
        return process.pid();
    }
}
