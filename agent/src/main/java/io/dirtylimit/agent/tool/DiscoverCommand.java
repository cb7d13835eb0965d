package io.dirtylimit.agent.tool;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.dirtylimit.agent.AgentState;
import io.dirtylimit.agent.discover.DiscoverData;
import io.dirtylimit.agent.discover.DiscoverOptions;
import io.dirtylimit.agent.discover.Discovery;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code discover PID [--package PREFIX]... [--class NAME]... [--seconds S] [--max-methods N] [--json]
 * [--draft FILE]}: temporary counting probes in a running emulator, then the report and a draft
 * profile. Where the agent is active, through its MXBean (no agent is loaded again, so JDK 21+ prints
 * no warning); elsewhere the agent jar is loaded with {@code discover} options through the Attach
 * API, which installs the probes and leaves the counting and their removal to a thread in the
 * emulator that writes the result to a file this command waits for. Either way the emulator removes
 * the probes itself when the window ends, even if this command is killed.
 */
final class DiscoverCommand {
    /** How long after the window the tool waits for the result. */
    static final long RESULT_GRACE_MILLIS = 60_000;

    private final PrintStream out;
    private final PrintStream err;
    private final Path agentJar;

    DiscoverCommand(PrintStream out, PrintStream err, Path agentJar) {
        this.out = out;
        this.err = err;
        this.agentJar = agentJar;
    }

    void run(String[] args) throws ToolFailure {
        CommandArgs command = new CommandArgs("discover", args);
        List<String> packages = command.repeated("--package");
        List<String> classes = command.repeated("--class");
        String seconds = command.stringOption("--seconds");
        String maxMethods = command.stringOption("--max-methods");
        String draftFile = command.stringOption("--draft");
        boolean json = command.flag("--json");
        command.noPositional();
        long pid = command.pid();
        AttachDiagnosis.checkReachable(pid);
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw AttachDiagnosis.attachFailed(pid, e);
        }
        List<String> lines;
        DiscoverOptions options;
        try {
            Properties properties = vm.getSystemProperties();
            if (Discovery.RUNNING_STATE.equals(properties.getProperty(Discovery.STATE_PROPERTY))) {
                throw new ToolFailure(Cli.AGENT_ERROR, "a discover is running in process " + pid + "; try again when it has finished");
            }
            if (packages.isEmpty() && classes.isEmpty()) {
                packages = List.of(mainPackage(pid, properties));
                err.println("dirtylimit: probing package " + packages.get(0) + " (the main class's; --package or --class to choose)");
            }
            options = options(packages, classes, seconds, maxMethods);
            if (AgentState.of(properties.getProperty(AgentState.PROPERTY)) == AgentState.ACTIVE) {
                vm.detach();
                vm = null;
                lines = throughMxBean(pid, options);
            } else {
                lines = throughAttach(vm, pid, options);
            }
        } catch (IOException e) {
            throw new ToolFailure(Cli.CONNECTION_FAILED, "lost the connection to process " + pid + ": " + e.getMessage());
        } finally {
            if (vm != null) {
                try {
                    vm.detach();
                } catch (IOException ignored) {
                    // done with it
                }
            }
        }
        report(lines, json, draftFile, packages, classes);
    }

    private static DiscoverOptions options(List<String> packages, List<String> classes, String seconds, String maxMethods)
            throws ToolFailure {
        StringBuilder text = new StringBuilder(DiscoverOptions.KEYWORD);
        if (seconds != null) {
            text.append(",seconds=").append(seconds);
        }
        if (maxMethods != null) {
            text.append(",max-methods=").append(maxMethods);
        }
        if (!packages.isEmpty()) {
            text.append(",package=").append(String.join(";", packages));
        }
        if (!classes.isEmpty()) {
            text.append(",class=").append(String.join(";", classes));
        }
        try {
            return DiscoverOptions.parse(text.toString());
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(Cli.USAGE, e.getMessage());
        }
    }

    /** The agent is active: its MXBean runs the discover and answers when it is done. */
    private List<String> throughMxBean(long pid, DiscoverOptions options) throws ToolFailure {
        err.println("dirtylimit: the agent is active in process " + pid + ": discovering through it for "
                + trim(options.seconds()) + " s");
        try (TargetJvm target = TargetJvm.connect(pid)) {
            Object answer = target.invoke("discover", new Object[] {options.format()}, new String[] {String.class.getName()});
            return Arrays.asList((String[]) answer);
        }
    }

    /** The agent jar loaded with discover options: a start report at once, the result file after the window. */
    private List<String> throughAttach(VirtualMachine vm, long pid, DiscoverOptions options) throws IOException, ToolFailure {
        Path dir = Files.createTempDirectory("dirtylimit-discover-");
        Path report = dir.resolve("report.txt");
        Path result = dir.resolve("result.txt");
        try {
            try {
                vm.loadAgent(agentJar.toString(), options.format() + ",report=" + report.toAbsolutePath() + ",result=" + result.toAbsolutePath());
            } catch (AgentLoadException e) {
                throw new ToolFailure(Cli.LOAD_REFUSED, "process " + pid + " refused to load the agent: " + e.getMessage()
                        + " (on JDK 21 and later, start the emulator with -XX:+EnableDynamicAgentLoading, or with"
                        + " -javaagent:dirtylimit-agent.jar and no limit, which discover then uses without loading anything)");
            } catch (AgentInitializationException e) {
                throw new ToolFailure(Cli.LOAD_REFUSED, "the agent failed to start in process " + pid + ": " + e.getMessage());
            }
            List<String> started = Files.exists(report) ? Files.readAllLines(report, StandardCharsets.UTF_8) : List.of();
            if (started.isEmpty()) {
                throw new ToolFailure(Cli.NO_REPORT, "the agent sent no report from process " + pid + "; look at that process's stderr");
            }
            if (!started.get(started.size() - 1).equals(Discovery.STARTED)) {
                throw new ToolFailure(Cli.AGENT_ERROR, String.join("; ", started).replaceFirst("^error: ", ""));
            }
            started.subList(0, started.size() - 1).forEach(line -> err.println("dirtylimit: " + line));
            return awaitResult(pid, result, options.seconds());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static List<String> awaitResult(long pid, Path result, double seconds) throws IOException, ToolFailure {
        long deadline = System.nanoTime() + Math.round(seconds * 1e9) + RESULT_GRACE_MILLIS * 1_000_000;
        while (!Files.exists(result)) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
                throw new ToolFailure(Cli.NO_REPORT, "process " + pid + " ended during the discover");
            }
            if (System.nanoTime() > deadline) {
                throw new ToolFailure(Cli.NO_REPORT, "no result from process " + pid + " " + RESULT_GRACE_MILLIS / 1000
                        + " s after the window; look at that process's stderr");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolFailure(Cli.NO_REPORT, "interrupted; the probes are removed in process " + pid + " when its window ends");
            }
        }
        List<String> lines = Files.readAllLines(result, StandardCharsets.UTF_8);
        if (!lines.isEmpty() && lines.get(0).startsWith(Discovery.FAILED)) {
            throw new ToolFailure(Cli.AGENT_ERROR, lines.get(0).substring(Discovery.FAILED.length()));
        }
        return lines;
    }

    private void report(List<String> lines, boolean json, String draftFile, List<String> packages, List<String> classes)
            throws ToolFailure {
        DiscoverData data;
        try {
            data = DiscoverData.parse(lines);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(Cli.AGENT_ERROR, "the agent's answer is not what this tool reads (another agent version?): " + e.getMessage());
        }
        DiscoverAnalysis analysis = DiscoverAnalysis.of(data);
        String draft = DiscoverDraft.text(analysis, draftName(packages, classes));
        List<String> problems = DiscoverDraft.problems(draft);
        if (draftFile != null) {
            try {
                Files.writeString(Path.of(draftFile), draft, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new ToolFailure(Cli.USAGE, "cannot write the draft to " + draftFile + ": " + e.getMessage());
            }
        }
        out.println(json ? DiscoverFormat.json(analysis, draft, problems) : DiscoverFormat.text(analysis, draft, problems));
        if (draftFile != null && !json) {
            out.println("draft saved to " + Path.of(draftFile).toAbsolutePath());
        }
    }

    /** {@code draft-toyvm}: the last package segment, or the class's simple name. */
    static String draftName(List<String> packages, List<String> classes) {
        String base = !packages.isEmpty() ? packages.get(0) : classes.get(0);
        String last = base.substring(base.lastIndexOf('.') + 1);
        if (!classes.isEmpty() && packages.isEmpty()) {
            last = last.substring(last.lastIndexOf('$') + 1);
        }
        return "draft-" + last.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The package of the target's main class, from its {@code sun.java.command}: a class name, a
     * {@code module/class}, or a jar whose manifest names it.
     */
    static String mainPackage(long pid, Properties properties) throws ToolFailure {
        String command = properties.getProperty("sun.java.command", "").trim();
        String first = command.isEmpty() ? "" : command.split("\\s+")[0];
        String mainClass = first;
        if (first.endsWith(".jar")) {
            Path jar = Path.of(properties.getProperty("user.dir", ".")).resolve(first);
            try (JarFile file = new JarFile(jar.toFile())) {
                mainClass = file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue("Main-Class");
            } catch (IOException | RuntimeException e) {
                mainClass = null;
            }
        } else if (first.contains("/")) {
            mainClass = first.substring(first.indexOf('/') + 1);
        }
        if (mainClass == null || mainClass.lastIndexOf('.') <= 0) {
            throw new ToolFailure(Cli.USAGE, "cannot tell the main class's package of process " + pid + " ('" + command
                    + "'): say what to probe with --package PREFIX or --class NAME");
        }
        return mainClass.trim().substring(0, mainClass.trim().lastIndexOf('.'));
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    /** The arguments the command takes, for the usage text. */
    static List<String> usage() {
        return new ArrayList<>(List.of(
                "       java -jar dirtylimit-agent.jar discover PID [--package PREFIX]... [--class NAME]... [--seconds S]",
                "                                          [--max-methods N] [--json] [--draft FILE]",
                "                                                           count calls of the emulator's methods for S s (3),",
                "                                                           find its stores and vCPU threads, draft a profile"));
    }
}
