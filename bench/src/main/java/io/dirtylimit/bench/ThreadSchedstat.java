package io.dirtylimit.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux's per-thread scheduler statistics, {@code /proc/PID/task/TID/schedstat}: nanoseconds on
 * a CPU, nanoseconds waiting on a run queue (runnable, no CPU free), timeslices. The demo uses the
 * run-queue wait to tell a vCPU that waited for a CPU (contention) from one that slept (a throttle).
 */
final class ThreadSchedstat {
    private final Path file;

    private ThreadSchedstat(Path file) {
        this.file = file;
    }

    /** The thread named {@code comm} in process {@code pid}, or null (no such thread, no /proc, no schedstat). */
    static ThreadSchedstat find(long pid, String comm) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                if (comm.equals(readOrNull(task.resolve("comm")))) {
                    ThreadSchedstat found = new ThreadSchedstat(task.resolve("schedstat"));
                    return found.read() == null ? null : found;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** A thread may end while the directory is listed. */
    private static String readOrNull(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {on-CPU ns, run-queue wait ns}, or null once the thread is gone or the file unreadable. */
    long[] read() {
        try {
            String[] fields = Files.readString(file).trim().split("\\s+");
            return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
