package io.dirtylimit.agent;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.management.openmbean.CompositeData;

/**
 * The tool's control commands, each one JMX session with the agent's MXBean in the target JVM:
 * {@code list}, {@code set}, {@code cancel}, {@code query}, {@code calc}, {@code status}, {@code migration}.
 * Failures are {@link ToolFailure}s (one sentence and an exit code); {@link Cli} prints them.
 */
final class ControlCommands {
    /** What {@code migration PID MODE} accepts (the governor's {@code setMode}). */
    static final List<String> MIGRATION_MODES = List.of("off", "auto", "fit", "qemu", "auto-converge");

    private final PrintStream out;

    ControlCommands(PrintStream out) {
        this.out = out;
    }

    /** {@code list}: local JVMs of this user, marking those with the agent active. */
    void list() {
        long self = ProcessHandle.current().pid();
        out.printf("%-8s %-9s %s%n", "PID", "AGENT", "MAIN CLASS / JAR AND ARGUMENTS");
        for (VirtualMachineDescriptor descriptor : VirtualMachine.list()) {
            if (descriptor.id().equals(Long.toString(self))) {
                continue;
            }
            out.printf("%-8s %-9s %s%n", descriptor.id(), agentState(descriptor), descriptor.displayName());
        }
    }

    private static String agentState(VirtualMachineDescriptor descriptor) {
        try {
            VirtualMachine vm = VirtualMachine.attach(descriptor);
            try {
                String state = vm.getSystemProperties().getProperty(AgentRuntime.STATE_PROPERTY);
                return state == null ? "-" : state;
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            return "?";
        }
    }

    /** {@code set PID [--cpu N] RATE}. */
    void set(Args args) throws ToolFailure {
        Integer cpu = args.intOption("--cpu");
        String rateText = args.onlyPositional("RATE");
        double rate = parseRate(rateText);
        try (TargetJvm target = TargetJvm.connect(args.pid())) {
            if (cpu == null) {
                target.invoke("limitAllVcpus", new Object[] {rate}, new String[] {"double"});
                out.println("dirty limit " + format(rate) + " MB/s set for all vCPUs of process " + target.pid());
            } else {
                target.invoke("setVcpuDirtyLimit", new Object[] {cpu, rate}, new String[] {"int", "double"});
                out.println("dirty limit " + format(rate) + " MB/s set for vCPU " + cpu + " of process " + target.pid());
            }
        }
    }

    /** {@code cancel PID [--cpu N]}. */
    void cancel(Args args) throws ToolFailure {
        Integer cpu = args.intOption("--cpu");
        args.noPositional();
        try (TargetJvm target = TargetJvm.connect(args.pid())) {
            if (cpu == null) {
                target.invoke("cancelAllVcpuDirtyLimit", new Object[0], new String[0]);
                out.println("dirty limits cancelled for all vCPUs of process " + target.pid());
            } else {
                target.invoke("cancelVcpuDirtyLimit", new Object[] {cpu}, new String[] {"int"});
                out.println("dirty limit cancelled for vCPU " + cpu + " of process " + target.pid());
            }
        }
    }

    /** {@code query PID [--json] [--all] [--watch [SECONDS]]}. */
    void query(Args args) throws ToolFailure {
        boolean json = args.flag("--json");
        boolean all = args.flag("--all");
        Double watch = args.optionalDouble("--watch", 1.0);
        args.noPositional();
        if (watch != null && !(watch >= 0.1 && watch <= 3600)) {
            throw new ToolFailure(Cli.USAGE, "--watch takes a refresh interval from 0.1 to 3600 seconds, got " + watch);
        }
        try (TargetJvm target = TargetJvm.connect(args.pid())) {
            if (watch == null) {
                out.println(render(target, json, all));
                return;
            }
            watch(target, json, all, watch);
        }
    }

    private void watch(TargetJvm target, boolean json, boolean all, double seconds) throws ToolFailure {
        boolean terminal = !json && isTerminal();
        while (!Thread.currentThread().isInterrupted()) {
            String frame = render(target, json, all);
            if (terminal) {
                out.print("\033[H\033[2J");
            }
            if (!json) {
                out.println("process " + target.pid() + " at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                        + ", every " + format(seconds) + " s (Ctrl-C to stop)");
            }
            out.println(frame);
            if (!terminal && !json) {
                out.println();
            }
            out.flush();
            try {
                Thread.sleep(Math.round(seconds * 1000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** JDK 22+ has a console even when output is redirected; only its isTerminal() tells. */
    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    private String render(TargetJvm target, boolean json, boolean all) throws ToolFailure {
        CompositeData[] rows = (CompositeData[]) target.invoke("queryVcpuDirtyLimit", new Object[0], new String[0]);
        return json ? QueryFormat.json(rows, all) : QueryFormat.table(rows);
    }

    /** {@code calc PID [--seconds S] [--json]}. */
    void calc(Args args) throws ToolFailure {
        Double seconds = args.optionalDouble("--seconds", 1.0);
        boolean json = args.flag("--json");
        args.noPositional();
        double window = seconds == null ? 1.0 : seconds;
        try (TargetJvm target = TargetJvm.connect(args.pid())) {
            CompositeData result = (CompositeData) target.invoke("calcDirtyRate", new Object[] {window}, new String[] {"double"});
            out.println(json ? QueryFormat.calcJson(result) : QueryFormat.calcText(result));
        }
    }

    /** {@code status PID}. */
    void status(Args args) throws ToolFailure {
        args.noPositional();
        try (TargetJvm target = TargetJvm.connect(args.pid())) {
            out.println("dirtylimit-agent " + target.get("Version") + " in process " + target.pid() + ": active");
            out.println("profile: " + target.get("Profile"));
            out.println("policy: " + target.get("Policy") + ", period " + target.get("Period") + ", quantum "
                    + target.get("QuantumPages") + " pages");
            out.println("vCPUs seen: " + Arrays.toString((int[]) target.get("Vcpus")));
            printList("hooks matched", (String[]) target.get("HooksMatched"));
            printList("hooks unmatched", (String[]) target.get("HooksUnmatched"));
            out.println("suppressed errors in hooks: " + target.get("SuppressedErrors"));
            out.println("migration: " + target.get("MigrationState"));
        }
    }

    /** {@code migration PID [MODE]}: the governor's state, or switches its mode and shows the new state. */
    void migration(Args args) throws ToolFailure {
        String mode = args.optionalPositional("MODE");
        if (mode != null && !MIGRATION_MODES.contains(mode)) {
            throw new ToolFailure(Cli.USAGE, "migration mode '" + mode + "' is not one of " + String.join(", ", MIGRATION_MODES));
        }
        try (TargetJvm target = TargetJvm.connect(args.pid())) {
            if (mode != null) {
                target.set("MigrationMode", mode);
                out.println("migration mode " + target.get("MigrationMode") + " set in process " + target.pid());
            }
            out.println("migration: " + target.get("MigrationState"));
        }
    }

    private void printList(String title, String[] lines) {
        if (lines.length == 0) {
            out.println(title + ": none");
            return;
        }
        out.println(title + ":");
        for (String line : lines) {
            out.println("  " + line);
        }
    }

    /** MB/s from {@code 200}, {@code 12.5}, {@code 512K}, {@code 200M}, {@code 1G}; the sign is the core's business. */
    static double parseRate(String text) throws ToolFailure {
        char unit = text.isEmpty() ? ' ' : Character.toUpperCase(text.charAt(text.length() - 1));
        double scale = unit == 'K' ? 1.0 / 1024 : unit == 'M' ? 1 : unit == 'G' ? 1024 : 0;
        String number = scale == 0 ? text : text.substring(0, text.length() - 1);
        try {
            double value = Double.parseDouble(number) * (scale == 0 ? 1 : scale);
            if (!Double.isNaN(value) && !number.isBlank() && number.chars().noneMatch(Character::isLetter)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ToolFailure(Cli.USAGE, "rate '" + text + "' is not a number of MB/s (e.g. 200, 12.5, 512K, 200M, 1G; per second)");
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "");
    }

    /** A command's arguments after its name: the PID first, then options and positional values. */
    static final class Args {
        private final String command;
        private final long pid;
        private final List<String> rest;

        Args(String command, String[] args) throws ToolFailure {
            this.command = command;
            if (args.length < 2) {
                throw new ToolFailure(Cli.USAGE, command + " needs a process id (see: java -jar dirtylimit-agent.jar list)");
            }
            String pidText = args[1];
            if (pidText.isEmpty() || !pidText.chars().allMatch(Character::isDigit) || pidText.length() > 18) {
                throw new ToolFailure(Cli.USAGE, "'" + pidText + "' is not a process id");
            }
            this.pid = Long.parseLong(pidText);
            this.rest = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
        }

        long pid() {
            return pid;
        }

        boolean flag(String name) {
            return rest.remove(name);
        }

        Integer intOption(String name) throws ToolFailure {
            int at = rest.indexOf(name);
            if (at < 0) {
                return null;
            }
            if (at + 1 >= rest.size()) {
                throw new ToolFailure(Cli.USAGE, name + " needs a vCPU index");
            }
            String value = rest.remove(at + 1);
            rest.remove(at);
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new ToolFailure(Cli.USAGE, name + " '" + value + "' is not a vCPU index");
            }
        }

        /** {@code name} alone gives {@code dflt}; {@code name NUMBER} gives the number; absent gives null. */
        Double optionalDouble(String name, double dflt) throws ToolFailure {
            int at = rest.indexOf(name);
            if (at < 0) {
                return null;
            }
            rest.remove(at);
            if (at < rest.size() && !rest.get(at).startsWith("--")) {
                String value = rest.remove(at);
                try {
                    return Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new ToolFailure(Cli.USAGE, name + " '" + value + "' is not a number of seconds");
                }
            }
            return dflt;
        }

        String onlyPositional(String what) throws ToolFailure {
            unknownOptions();
            if (rest.size() != 1) {
                throw new ToolFailure(Cli.USAGE, command + " takes one " + what + (rest.isEmpty() ? "" : ", got " + rest));
            }
            return rest.get(0);
        }

        /** The one positional value, or null if there is none. */
        String optionalPositional(String what) throws ToolFailure {
            unknownOptions();
            if (rest.size() > 1) {
                throw new ToolFailure(Cli.USAGE, command + " takes at most one " + what + ", got " + rest);
            }
            return rest.isEmpty() ? null : rest.get(0);
        }

        void noPositional() throws ToolFailure {
            unknownOptions();
            if (!rest.isEmpty()) {
                throw new ToolFailure(Cli.USAGE, command + ": unexpected " + rest);
            }
        }

        private void unknownOptions() throws ToolFailure {
            for (String arg : rest) {
                if (arg.startsWith("--")) {
                    throw new ToolFailure(Cli.USAGE, command + ": unknown option " + arg);
                }
            }
        }
    }
}
