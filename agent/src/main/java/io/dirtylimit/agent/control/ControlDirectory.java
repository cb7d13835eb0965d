package io.dirtylimit.agent.control;

import io.dirtylimit.agent.Log;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control socket's private directory, {@code dirtylimit-PID-N} in the temporary directory:
 * made {@code rwx------} for the socket, removed on detach and at the JVM's exit (a shutdown hook).
 * A killed JVM runs no hook, so the next agent to open its socket removes the directories of
 * JVMs that are gone: its own OS user's, with no process of that PID and nobody listening on the
 * socket, and nothing in them but the socket.
 */
final class ControlDirectory {
    static final String SOCKET = "control";
    private static final Pattern NAME = Pattern.compile("dirtylimit-(\\d{1,18})-\\d+");

    /** The directory the exit hook removes: written by start and stop (under ControlServer's lock), read by the hook. */
    private static volatile Path atExitVolatile;
    /** Guarded by ControlDirectory.class. */
    private static boolean hookAdded;

    private ControlDirectory() {}

    /** A new directory in {@code parent} only this OS user may enter. */
    static Path create(Path parent) throws IOException {
        String prefix = "dirtylimit-" + ProcessHandle.current().pid() + "-";
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory(parent, prefix);
    }

    /** Removes {@code directory} when the JVM exits, unless {@link #remove} did first. */
    static void removeAtExit(Path directory) {
        atExitVolatile = directory;
        addHookOnce();
    }

    /** Removes the socket and its directory; a failure is logged, never thrown. */
    static void remove(Path directory) {
        if (directory.equals(atExitVolatile)) {
            atExitVolatile = null;
        }
        try {
            Files.deleteIfExists(directory.resolve(SOCKET));
            Files.deleteIfExists(directory);
        } catch (IOException | RuntimeException e) {
            Log.debug("cannot remove " + directory + ": " + e);
        }
    }

    /**
     * Removes, in {@code parent}, the socket directories of JVMs that are gone (see the class comment);
     * {@code ours} tells this OS user's directories. Returns how many it removed; never throws.
     */
    static int removeStale(Path parent, Path ours) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, "dirtylimit-*-*")) {
            UserPrincipal owner = Files.getOwner(ours, LinkOption.NOFOLLOW_LINKS);
            for (Path entry : entries) {
                if (!entry.equals(ours) && isStale(entry, owner)) {
                    remove(entry);
                    removed += Files.exists(entry, LinkOption.NOFOLLOW_LINKS) ? 0 : 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            Log.debug("cannot look for stale control directories in " + parent + ": " + e);
        }
        return removed;
    }

    private static boolean isStale(Path entry, UserPrincipal owner) throws IOException {
        Matcher name = NAME.matcher(entry.getFileName().toString());
        return name.matches()
                && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                && owner.equals(Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS))
                && !processAlive(Long.parseLong(name.group(1)))
                && holdsOnlyTheSocket(entry)
                && !listening(entry.resolve(SOCKET));
    }

    private static boolean processAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean holdsOnlyTheSocket(Path directory) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().equals(SOCKET)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a server answers on {@code socket}: a JVM in another PID namespace may share the directory. */
    private static boolean listening(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static synchronized void addHookOnce() {
        if (hookAdded) {
            return;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(ControlDirectory::exitHook, "dirtylimit-control-exit"));
            hookAdded = true;
        } catch (RuntimeException e) {
            Log.debug("no exit hook for the control socket's directory: " + e);
        }
    }

    private static void exitHook() {
        Path directory = atExitVolatile;
        if (directory != null) {
            remove(directory);
        }
    }
}
