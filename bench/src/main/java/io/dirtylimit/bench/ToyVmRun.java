package io.dirtylimit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one toy VM in a child JVM, with or without the agent, and reads its instruction rate per
 * second of wall time and per second of its vCPU thread's CPU time.
 */
final class ToyVmRun {
    /** How long a child may take beyond its --seconds before it is killed. */
    private static final long GRACE_SECONDS = 60;
    private static final String AGENT_PREFIX = "dirtylimit: ";

    /** The java launcher, after an optional prefix command (setarch, taskset...). */
    private final List<String> launcher;
    private final RepoJars jars;
    private final Path scratch;
    private final int seconds;
    private final int skipSeconds;
    /** The diagnostic idle-handler agent jar, written on first use. */
    private Path idleAgentJar;

    ToyVmRun(List<String> launcher, RepoJars jars, Path scratch, int seconds, int skipSeconds) {
        this.launcher = List.copyOf(launcher);
        this.jars = jars;
        this.scratch = scratch;
        this.seconds = seconds;
        this.skipSeconds = skipSeconds;
    }

    /** The command line of one run; {@code agentProfile} null for the baseline. */
    List<String> command(OverheadCase c, String agentProfile) {
        List<String> command = new ArrayList<>();
        command.addAll(launcher);
        if (agentProfile != null) {
            // log=debug prints which methods were hooked and when vCPU 0 first reached the core:
            // proof that the hooks ran. It adds nothing on the hot path.
            command.add("-javaagent:" + jars.agent() + "=profile=" + agentProfile + ",log=debug"
                    + (c.countAlways() ? ",counting=always" : ""));
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
     * One run's instruction rates after the skipped seconds.
     *
     * @param wallIps per second of wall-clock time (see {@link ToyVmCsv#runIps})
     * @param cpuIps per second of the vCPU thread's CPU time (see {@link ToyVmCsv#cpuIps}); NaN if unknown
     * @param cpuShare the vCPU thread's CPU time over the wall time of those seconds; NaN if unknown
     */
    record Rates(double wallIps, double cpuIps, double cpuShare) {}

    /**
     * Runs the case, hooked when {@code agentProfile} is not null, reading the vCPU thread's CPU
     * time as each second's statistics arrive.
     *
     * @throws IllegalStateException if the child fails, or with the agent did not hook every role
     */
    Rates run(OverheadCase c, String agentProfile) throws IOException, InterruptedException {
        List<String> command = command(c, agentProfile);
        Path err = Files.createTempFile(scratch, "toyvm-", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
            process.getOutputStream().close(); // the monitor sees end of input; the VM keeps running
            ThreadCpu vcpuCpu = new ThreadCpu(process.pid(), "vcpu-0");
            List<String> stdout = new ArrayList<>();
            Map<Long, Long> ticksBySecond = new HashMap<>();
            Thread watchdog = watchdog(process, command);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    stdout.add(line);
                    Long second = secondOf(line);
                    if (second != null) {
                        ticksBySecond.putIfAbsent(second, vcpuCpu.ticks());
                    }
                }
            } finally {
                watchdog.interrupt();
            }
            process.waitFor();
            List<String> stderr = Files.readAllLines(err, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the toy VM exited with status " + process.exitValue() + ": "
                        + String.join(" ", command) + "\n" + tail(stderr));
            }
            if (agentProfile != null) {
                checkHooked(c, stderr, command);
            }
            double cpuIps = ToyVmCsv.cpuIps(stdout, ticksBySecond, skipSeconds, ThreadCpu.TICKS_PER_SECOND);
            double wallIps = ToyVmCsv.runIps(stdout, skipSeconds);
            double cpuShare = ToyVmCsv.cpuShare(stdout, ticksBySecond, skipSeconds, ThreadCpu.TICKS_PER_SECOND);
            return new Rates(wallIps, cpuIps, cpuShare);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Kills the child if it outlives its --seconds by the grace period (its stdout then ends). */
    private Thread watchdog(Process process, List<String> command) {
        Thread thread = new Thread(() -> {
            try {
                if (!process.waitFor(seconds + GRACE_SECONDS, TimeUnit.SECONDS)) {
                    System.err.println("ToyVmOverhead: killing a toy VM that did not stop after " + (seconds + GRACE_SECONDS)
                            + " s: " + String.join(" ", command));
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the run ended in time
            }
        }, "toyvm-watchdog");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The second a statistics line reports, or null for the header, comments and other lines. */
    static Long secondOf(String line) {
        int comma = line.indexOf(',');
        if (comma <= 0) {
            return null;
        }
        try {
            return Long.parseLong(line.substring(0, comma));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Fails unless the agent hooked every role of the case and reported no error, a hook call reached
     * vCPU 0 where one must ({@link OverheadCase#registersVcpu}), and (empty-handler diagnostics) the
     * empty handler replaced the agent's.
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
        } else if (c.registersVcpu() && stderr.stream().noneMatch(line -> line.startsWith(AGENT_PREFIX + "vCPU 0 registered"))) {
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
