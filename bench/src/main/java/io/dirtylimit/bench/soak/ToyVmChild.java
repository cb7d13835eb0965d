package io.dirtylimit.bench.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The toy VM in a child JVM, with its monitor on stdin: each line of its stdout and stderr is kept
 * with the moment it arrived, and {@code --stats csv} lines become samples (vCPU, MB/s, arrival).
 */
final class ToyVmChild implements AutoCloseable {
    /** One second of one vCPU's dirty rate, as the toy VM measured it, and when the soak read it. */
    record Sample(long arrivalNanos, int vcpu, double mbps) {}

    private final Process process;
    private final Writer stdin;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();

    private ToyVmChild(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.getInputStream(), this::outLine, "soak-vm-out");
        pump(process.getErrorStream(), err::add, "soak-vm-err");
    }

    /** Starts {@code java JVM_ARGS -jar TOYVM ARGS}. */
    static ToyVmChild start(String java, List<String> jvmArgs, Path toyVm, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", toyVm.toString()));
        command.addAll(args);
        return new ToyVmChild(new ProcessBuilder(command).start());
    }

    private void outLine(String line) {
        out.add(line);
        String[] fields = line.split(",");
        if (fields.length == 5 && !line.startsWith("t_s")) {
            try {
                samples.add(new Sample(System.nanoTime(), Integer.parseInt(fields[1].trim()), Double.parseDouble(fields[2].trim())));
            } catch (NumberFormatException e) {
                // not a statistics line
            }
        }
    }

    private static void pump(InputStream stream, Consumer<String> into, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    into.accept(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Writes one monitor command. */
    synchronized void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    List<String> out() {
        return out;
    }

    List<String> err() {
        return err;
    }

    List<Sample> samples() {
        return samples;
    }

    /** The lines of stdout from index {@code from} on. */
    List<String> outSince(int from) {
        List<String> copy = List.copyOf(out);
        return copy.subList(Math.min(from, copy.size()), copy.size());
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                send("quit");
            }
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
