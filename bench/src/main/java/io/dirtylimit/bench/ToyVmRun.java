package io.dirtylimit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one toy VM in a child JVM, with or without the agent, and reads its instruction rate. */
final class ToyVmRun {
    /** How long a child may take beyond its --seconds before it is killed. */
    private static final long GRACE_SECONDS = 60;
    private static final String AGENT_PREFIX = "dirtylimit: ";

    private final String java;
    private final RepoJars jars;
    private final Path scratch;
    private final int seconds;
    private final int skipSeconds;
    /** The diagnostic idle-handler agent jar, written on first use. */
    private Path idleAgentJar;

    ToyVmRun(String java, RepoJars jars, Path scratch, int seconds, int skipSeconds) {
        this.java = java;
        this.jars = jars;
        this.scratch = scratch;
        this.seconds = seconds;
        this.skipSeconds = skipSeconds;
    }

    /** The command line of one run; {@code agentProfile} null for the baseline. */
    List<String> command(OverheadCase c, String agentProfile) {
        List<String> command = new ArrayList<>();
        command.add(java);
        if (agentProfile != null) {
            // log=debug prints which methods were hooked and when vCPU 0 first reached the core:
            // proof that the hooks ran. It adds nothing on the hot path.
            command.add("-javaagent:" + jars.agent() + "=profile=" + agentProfile + ",log=debug");
            if (c.idleHandler()) {
                command.add("-javaagent:" + idleAgentJar());
            }
        }
        command.add("-jar");
        command.add(jars.toyVm().toString());
        command.addAll(c.toyVmArgs());
        command.addAll(List.of("--seconds", Integer.toString(seconds), "--stats", "csv"));
        return command;
    }

    private Path idleAgentJar() {
        if (idleAgentJar == null) {
            try {
                idleAgentJar = IdleBridgeAgent.writeJar(scratch.resolve("idle-bridge.jar"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write the idle-handler agent jar", e);
            }
        }
        return idleAgentJar;
    }

    /**
     * Runs the case, hooked when {@code agentProfile} is not null; returns the run's instruction
     * rate after the skipped seconds (see {@link ToyVmCsv#runIps}).
     *
     * @throws IllegalStateException if the child fails, or with the agent did not hook every role
     */
    double runIps(OverheadCase c, String agentProfile) throws IOException, InterruptedException {
        List<String> command = command(c, agentProfile);
        Path out = Files.createTempFile(scratch, "toyvm-", ".csv");
        Path err = Files.createTempFile(scratch, "toyvm-", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close(); // the monitor sees end of input; the VM keeps running
            if (!process.waitFor(seconds + GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("the toy VM did not stop after " + (seconds + GRACE_SECONDS) + " s: "
                        + String.join(" ", command));
            }
            List<String> stdout = Files.readAllLines(out, StandardCharsets.UTF_8);
            List<String> stderr = Files.readAllLines(err, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the toy VM exited with status " + process.exitValue() + ": "
                        + String.join(" ", command) + "\n" + tail(stderr));
            }
            if (agentProfile != null) {
                checkHooked(c, stderr, command);
            }
            return ToyVmCsv.runIps(stdout, skipSeconds);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Fails unless the agent hooked every role of the case and reported no error, and either a hook
     * call reached vCPU 0 or (idle-handler diagnostics) the idle handler replaced the agent's dispatcher.
     */
    static void checkHooked(OverheadCase c, List<String> stderr, List<String> command) {
        List<String> problems = new ArrayList<>();
        stderr.stream().filter(line -> line.startsWith(AGENT_PREFIX + "error:")).forEach(problems::add);
        for (String role : c.roles()) {
            if (stderr.stream().noneMatch(line -> line.startsWith(AGENT_PREFIX) && line.contains("(" + role + ") instruments "))) {
                problems.add("no " + role + " hook was installed");
            }
        }
        if (c.idleHandler()) {
            if (stderr.stream().noneMatch(line -> line.startsWith(IdleBridgeAgent.INSTALLED + "io.dirtylimit.agent."))) {
                problems.add("the idle handler did not replace the agent's handler");
            }
        } else if (stderr.stream().noneMatch(line -> line.startsWith(AGENT_PREFIX + "vCPU 0 registered"))) {
            problems.add("no hook call reached vCPU 0");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the agent did not hook case " + c.id() + " (" + String.join("; ", problems) + "): "
                    + String.join(" ", command) + "\n" + tail(stderr));
        }
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
