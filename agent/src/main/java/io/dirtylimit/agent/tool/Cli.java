package io.dirtylimit.agent.tool;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.dirtylimit.agent.AgentMain;
import io.dirtylimit.agent.AgentOptions;
import io.dirtylimit.agent.AgentReport;
import io.dirtylimit.agent.AgentState;
import io.dirtylimit.agent.OptionsException;
import io.dirtylimit.agent.profile.Profiles;
import io.dirtylimit.core.migration.MigrationMode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line tool, {@code java -jar dirtylimit-agent.jar COMMAND}: {@code attach PID [OPTIONS]}
 * loads the agent into a running JVM (or applies new options to the agent already there) and prints
 * what it did there; {@code detach PID} removes it; {@code list}, {@code set}, {@code cancel},
 * {@code query}, {@code calc}, {@code status} and {@code migration} talk to the agent's MXBean (see
 * {@link ControlCommands}); {@code discover} probes the emulator and drafts a profile (see
 * {@link DiscoverCommand}). Exit codes: 0 done, 1 the agent reported an error (or refused a value),
 * 2 bad command line, 3 no such process (or cannot attach for another reason), 4 the JVM refused the
 * agent, 5 the agent sent no report (or registered no MXBean), 6 not a JVM, 7 another user's process,
 * 8 the agent is not loaded there, 9 the connection to the JVM failed.
 *
 * <p>It runs in its own JVM and needs {@code jdk.attach}; nothing of this package is ever loaded in
 * the emulator (a test scans the emulator-side classes for references to it).
 */
public final class Cli {
    static final int OK = 0;
    static final int AGENT_ERROR = 1;
    static final int USAGE = 2;
    static final int CANNOT_ATTACH = 3;
    static final int LOAD_REFUSED = 4;
    static final int NO_REPORT = 5;
    static final int NO_SUCH_PROCESS = CANNOT_ATTACH;
    static final int NOT_A_JVM = 6;
    static final int OTHER_USER = 7;
    static final int AGENT_NOT_LOADED = 8;
    static final int CONNECTION_FAILED = 9;

    private static final String USAGE_TEXT = String.join(System.lineSeparator(),
            "usage: java -jar dirtylimit-agent.jar attach PID [OPTIONS]   load the agent into JVM PID, or apply OPTIONS to it",
            "       java -jar dirtylimit-agent.jar detach PID             remove every hook, cancel every limit",
            "       java -jar dirtylimit-agent.jar list                   local JVMs, and whether the agent is active in each",
            "       java -jar dirtylimit-agent.jar set PID [--cpu N] RATE  limit one vCPU (also one not seen yet) or all;",
            "                                                           RATE MB/s: 200, 12.5, 512K, 1G",
            "       java -jar dirtylimit-agent.jar cancel PID [--cpu N]   cancel one vCPU's limit or all",
            "       java -jar dirtylimit-agent.jar query PID [--json] [--all] [--watch [SECONDS]]",
            "                                                           per-vCPU limits and rates (--json: QMP's shape)",
            "       java -jar dirtylimit-agent.jar calc PID [--seconds S] [--json]  dirty rates over S seconds (1)",
            "       java -jar dirtylimit-agent.jar status PID             profile, policy, period, limits, hooks, suppressed errors",
            "       java -jar dirtylimit-agent.jar migration PID [MODE]   the migration governor's state; MODE switches it:",
            "                                                           " + MigrationMode.switchWords(),
            String.join(System.lineSeparator(), DiscoverCommand.usage()),
            "       java -jar dirtylimit-agent.jar help | --version",
            "OPTIONS: comma-separated, e.g. profile=toyvm,limit=200 or limit=0:200;1:50 (quote the ';' in a shell),",
            "         period=500ms, policy=NAME, quantum=PAGES, guard=auto|on|off, log=off|error|warn|info|debug");

    private final PrintStream out;
    private final PrintStream err;

    Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        System.exit(new Cli(System.out, System.err).run(args));
    }

    int run(String[] args) {
        if (args.length == 0) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (args[0].equals("discover")) {
            return discover(args);
        }
        ToolCommand command;
        try {
            command = ToolCommand.parse(args);
        } catch (ToolFailure failure) {
            err.println("dirtylimit: " + failure.getMessage());
            if (!ToolCommand.COMMANDS.contains(args[0])) {
                err.println(USAGE_TEXT);
            }
            return failure.exitCode();
        }
        switch (command.command()) {
            case "help" -> {
                out.println(USAGE_TEXT);
                return OK;
            }
            case "version" -> {
                out.println("dirtylimit-agent " + AgentMain.version());
                return OK;
            }
            case "attach" -> {
                return load(command.pid(), command.options(), true);
            }
            case "detach" -> {
                return load(command.pid(), "detach", false);
            }
            default -> {
                return control(command);
            }
        }
    }

    private int control(ToolCommand command) {
        ControlCommands commands = new ControlCommands(out);
        try {
            switch (command.command()) {
                case "list" -> commands.list();
                case "set" -> commands.set(command);
                case "cancel" -> commands.cancel(command);
                case "query" -> commands.query(command);
                case "calc" -> commands.calc(command);
                case "migration" -> commands.migration(command);
                default -> commands.status(command);
            }
            return OK;
        } catch (ToolFailure failure) {
            err.println("dirtylimit: " + failure.getMessage());
            return failure.exitCode();
        }
    }

    private int discover(String[] args) {
        Path jar = agentJar();
        if (jar == null) {
            return USAGE;
        }
        try {
            new DiscoverCommand(out, err, jar).run(args);
            return OK;
        } catch (ToolFailure failure) {
            err.println("dirtylimit: " + failure.getMessage());
            return failure.exitCode();
        }
    }

    /** Validates the options here, where errors are cheap, and makes a relative profile path absolute. */
    static String checkOptions(String options) throws OptionsException {
        AgentOptions parsed = AgentOptions.parse(options);
        if (parsed.report() != null || parsed.detach()) {
            throw new OptionsException("report= and detach are set by the tool itself");
        }
        if (parsed.profile() == null || Profiles.BUILT_IN.contains(parsed.profile())) {
            return options;
        }
        Path profile;
        try {
            profile = Path.of(parsed.profile());
        } catch (InvalidPathException e) {
            throw new OptionsException("profile '" + parsed.profile() + "' is not a file path: " + e.getReason());
        }
        if (!Files.isRegularFile(profile)) {
            throw new OptionsException("no such profile file: " + profile.toAbsolutePath()
                    + " (built-in profiles: " + String.join(", ", Profiles.BUILT_IN) + ")");
        }
        List<String> rewritten = new ArrayList<>();
        for (String pair : options.split(",")) {
            rewritten.add(pair.trim().startsWith("profile=") ? "profile=" + profile.toAbsolutePath().normalize() : pair);
        }
        return String.join(",", rewritten);
    }

    private int load(long pidNumber, String options, boolean attaching) {
        String pid = Long.toString(pidNumber);
        Path jar = agentJar();
        if (jar == null) {
            return USAGE;
        }
        VirtualMachine vm;
        try {
            AttachDiagnosis.checkReachable(Long.parseLong(pid));
            vm = VirtualMachine.attach(pid);
        } catch (ToolFailure failure) {
            err.println("dirtylimit: " + failure.getMessage());
            return failure.exitCode();
        } catch (AttachNotSupportedException | IOException e) {
            ToolFailure failure = AttachDiagnosis.attachFailed(Long.parseLong(pid), e);
            err.println("dirtylimit: " + failure.getMessage());
            return failure.exitCode();
        }
        try {
            AgentState state = AgentState.of(vm.getSystemProperties().getProperty(AgentState.PROPERTY));
            if (!attaching && state != AgentState.ACTIVE) {
                out.println("dirtylimit: the agent is not active in process " + pid + ": nothing to detach");
                return OK;
            }
            if (attaching && state == AgentState.ACTIVE) {
                out.println("dirtylimit: the agent is already active in process " + pid + ": applying the new options");
            }
            return loadAndReport(vm, jar, pid, options);
        } catch (IOException e) {
            err.println("dirtylimit: lost the connection to process " + pid + ": " + e.getMessage());
            return CANNOT_ATTACH;
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the agent's work is done; nothing to tell
            }
        }
    }

    private int loadAndReport(VirtualMachine vm, Path jar, String pid, String options) throws IOException {
        Path report = Files.createTempFile("dirtylimit-report-", ".txt");
        try {
            String arguments = (options.isEmpty() ? "" : options + ",") + "report=" + report.toAbsolutePath();
            try {
                vm.loadAgent(jar.toString(), arguments);
            } catch (AgentLoadException e) {
                err.println("dirtylimit: process " + pid + " refused to load the agent: " + e.getMessage()
                        + " (on JDK 21 and later, start the emulator with -XX:+EnableDynamicAgentLoading, or start it"
                        + " with -javaagent and no limit (prepared mode) and set limits later with: set " + pid + " RATE)");
                return LOAD_REFUSED;
            } catch (AgentInitializationException e) {
                err.println("dirtylimit: the agent failed to start in process " + pid + ": " + e.getMessage());
                return LOAD_REFUSED;
            }
            return printReport(report, pid);
        } finally {
            Files.deleteIfExists(report);
        }
    }

    private int printReport(Path report, String pid) throws IOException {
        List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            err.println("dirtylimit: the agent sent no report from process " + pid + "; look at that process's stderr");
            return NO_REPORT;
        }
        lines.forEach(out::println);
        return lines.get(lines.size() - 1).equals(AgentReport.RESULT_OK) ? OK : AGENT_ERROR;
    }

    private Path agentJar() {
        try {
            Path location = Path.of(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location)) {
                return location;
            }
            err.println("dirtylimit: run the tool from the agent jar (java -jar dirtylimit-agent.jar), not from " + location);
        } catch (URISyntaxException | RuntimeException e) {
            err.println("dirtylimit: cannot find the agent jar: " + e);
        }
        return null;
    }
}
