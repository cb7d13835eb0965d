package io.dirtylimit.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of one named thread of a child process, from Linux's {@code /proc/PID/task/TID/stat}
 * (user + system time, in clock ticks of 1/100 s). Used to turn the toy VM's per-second instruction
 * counts into instructions per second of vCPU CPU time, which other processes taking the CPU do not
 * change. Where /proc is missing, every reading is -1.
 */
final class ThreadCpu {
    /** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
    static final int TICKS_PER_SECOND = 100;

    private final long pid;
    private final String threadName;
    private Path statFile;

    ThreadCpu(long pid, String threadName) {
        this.pid = pid;
        this.threadName = threadName;
    }

    /**
     * The thread's CPU time so far in ticks, or -1 if it cannot be read (not Linux, thread not
     * started). Tries a few times: listing a process's threads fails when one ends meanwhile.
     */
    long ticks() {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                if (statFile == null) {
                    statFile = find();
                }
                if (statFile != null) {
                    return parseTicks(Files.readString(statFile));
                }
            } catch (IOException | RuntimeException e) {
                // retried; -1 in the end
            }
        }
        return -1;
    }

    private Path find() throws IOException {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path task : threads) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(threadName)) {
                        return task.resolve("stat");
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return null;
    }

    /** utime + stime from a stat line: fields 14 and 15, counted after the parenthesised command name. */
    static long parseTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state): utime (14) and stime (15) are fields[11] and fields[12].
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
