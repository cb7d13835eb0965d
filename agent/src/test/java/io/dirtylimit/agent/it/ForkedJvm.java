package io.dirtylimit.agent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A child JVM whose stdout and stderr lines are collected as they come, and whose stdin we can write. */
final class ForkedJvm implements AutoCloseable {
    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final Writer stdin;
    private final String description;
    private final Thread outPump;
    private final Thread errPump;

    private ForkedJvm(Process process, String description) {
        this.process = process;
        this.description = description;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.outPump = pump(process.getInputStream(), out, "out");
        this.errPump = pump(process.getErrorStream(), err, "err");
    }

    /** Starts {@code java JVM_ARGS -cp CLASSPATH MAIN ARGS}. */
    static ForkedJvm start(List<String> jvmArgs, String classpath, String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ItPaths.java());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        return new ForkedJvm(new ProcessBuilder(command).start(), String.join(" ", command));
    }

    /** Runs {@code java ARGS} to completion (e.g. the agent's command-line tool). */
    static Finished run(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ItPaths.java());
        command.addAll(args);
        try (ForkedJvm jvm = new ForkedJvm(new ProcessBuilder(command).start(), String.join(" ", command))) {
            jvm.stdin.close();
            if (!jvm.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + jvm.description + "\n" + jvm.tail());
            }
            jvm.drain();
            return new Finished(jvm.process.exitValue(), List.copyOf(jvm.out), List.copyOf(jvm.err));
        }
    }

    /** A finished command: exit code and output. */
    record Finished(int exitCode, List<String> out, List<String> err) {
        String outText() {
            return String.join("\n", out);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n" + String.join("\n", err);
        }
    }

    private static Thread pump(InputStream stream, List<String> into, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "forked-jvm-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits for the pumps to read what a finished process wrote last. */
    private void drain() throws InterruptedException {
        outPump.join(5_000);
        errPump.join(5_000);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> out() {
        return out;
    }

    List<String> err() {
        return err;
    }

    /** Writes one line to the child's stdin. */
    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** The last lines of both streams, for failure messages. */
    String tail() {
        return "--- " + description + "\n--- stdout (last 30)\n" + last(out, 30) + "\n--- stderr (last 30)\n" + last(err, 30);
    }

    private static String last(List<String> lines, int n) {
        List<String> copy = List.copyOf(lines);
        return String.join("\n", copy.subList(Math.max(0, copy.size() - n), copy.size()));
    }

    /** Kills the child as SIGKILL does: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
