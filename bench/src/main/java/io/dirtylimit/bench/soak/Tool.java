package io.dirtylimit.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

    /** A finished command; exit -1 when it did not answer within the timeout (it is killed then). */
    record Result(List<String> args, int exit, String out, String err, long millis) {
        @Override
        public String toString() {
            return "tool " + String.join(" ", args) + " -> exit " + exit + " in " + millis + " ms"
                    + (err.isBlank() ? "" : ", stderr: " + err.strip().replace('\n', '|'))
                    + (exit == 0 || out.isBlank() ? "" : ", stdout: " + (exit == -1 ? out.strip().replace('\n', '|') : tail(out)));
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
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        boolean done = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            threadDump(process);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Result(List.of(args), done ? process.exitValue() : -1, out.join(), err.join(), millis);
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

    private static CompletableFuture<String> read(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("");
            }
        }, "soak-tool-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }
}
