package io.dirtylimit.bench.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The agent's command-line tool, run as a user runs it: {@code java -jar dirtylimit-agent.jar ARGS}, in its own JVM. */
final class Tool {
    /**
     * How long a command may take before it counts as not answering: a JVM start and an attach on a
     * 2-core machine that other builds load up to 50 (seen) take tens of seconds.
     */
    static final long TIMEOUT_SECONDS = 180;

    private final String java;
    private final Path agentJar;

    Tool(String java, Path agentJar) {
        this.java = java;
        this.agentJar = agentJar;
    }

    /**
     * A finished command; exit -1 when it did not end within the timeout (it is killed then), and then
     * {@code heldInKernel} names its threads that were in uninterruptible sleep (Linux state D) with
     * the kernel function they waited in, empty when none was.
     */
    record Result(List<String> args, int exit, String out, String err, long millis, String heldInKernel) {
        /**
         * It printed an answer and no error, then could not end because the kernel held one of its
         * threads (seen: the kernel's DAMON monitor holding the memory map's lock for minutes).
         */
        boolean answeredThenHeldByKernel() {
            return exit == -1 && !heldInKernel.isEmpty() && !out.isBlank() && err.isBlank();
        }

        @Override
        public String toString() {
            return "tool " + String.join(" ", args) + " -> exit " + exit + " in " + millis + " ms"
                    + (err.isBlank() ? "" : ", stderr: " + err.strip().replace('\n', '|'))
                    + (exit == 0 || out.isBlank() ? "" : ", stdout: " + (exit == -1 ? out.strip().replace('\n', '|') : tail(out)))
                    + (heldInKernel.isEmpty() ? "" : ", held in the kernel: " + heldInKernel);
        }

        private static String tail(String text) {
            String flat = text.strip().replace('\n', '|');
            return flat.length() > 400 ? "..." + flat.substring(flat.length() - 400) : flat;
        }
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-jar", agentJar.toString()));
        command.addAll(List.of(args));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        Drain out = new Drain(process.getInputStream());
        Drain err = new Drain(process.getErrorStream());
        boolean done = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        String heldInKernel = "";
        if (!done) {
            heldInKernel = threadsInUninterruptibleSleep(Path.of("/proc", Long.toString(process.pid())));
            threadDump(process);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        // a process the kernel still holds may not close its pipes: take what it wrote so far
        return new Result(List.of(args), done ? process.exitValue() : -1, out.text(), err.text(), millis, heldInKernel);
    }

    /**
     * The threads of the process at {@code proc} in state D, as "NAME in WCHAN", comma-separated;
     * empty when none is or /proc cannot tell.
     */
    static String threadsInUninterruptibleSleep(Path proc) {
        List<String> held = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : tasks.sorted().toList()) {
                String stat = readOrEmpty(task.resolve("stat"));
                int close = stat.lastIndexOf(')');
                if (close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'D') {
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    String wchan = readOrEmpty(task.resolve("wchan")).strip();
                    held.add(name + " in " + (wchan.isEmpty() || wchan.equals("0") ? "?" : wchan));
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return String.join(", ", held);
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Asks a command that does not answer for a thread dump (on its stdout, kept in the result) before it is killed. */
    private static void threadDump(Process process) throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(3_000);
        } catch (IOException e) {
            // no kill command: killed without a dump
        }
    }

    /** A stream read to its end on a daemon thread; what it has read so far can be taken at any time. */
    private static final class Drain {
        private static final long END_WAIT_MILLIS = 10_000;
        /** Written by the reading thread, read by the caller; its methods are synchronized. */
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread reader;

        Drain(InputStream stream) {
            reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (stream) {
                    for (int n; (n = stream.read(buffer)) >= 0; ) {
                        bytes.write(buffer, 0, n);
                    }
                } catch (IOException e) {
                    // closed: what was read stays
                }
            }, "soak-tool-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** The text, once the stream ended or after a wait for its end. */
        String text() throws InterruptedException {
            reader.join(END_WAIT_MILLIS);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
