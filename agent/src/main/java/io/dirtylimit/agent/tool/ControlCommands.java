package io.dirtylimit.agent.tool;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.dirtylimit.agent.AgentState;
import io.dirtylimit.core.Rates;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import javax.management.openmbean.CompositeData;

/**
 * The tool's control commands, each one JMX session with the agent's MXBean in the target JVM:
 * {@code list}, {@code set}, {@code cancel}, {@code query}, {@code calc}, {@code status}, {@code migration}.
 * Failures are {@link ToolFailure}s (one sentence and an exit code); {@link Cli} prints them.
 */
final class ControlCommands {
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
                String state = vm.getSystemProperties().getProperty(AgentState.PROPERTY);
                return state == null ? "-" : state;
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            return "?";
        }
    }

    /** {@code set PID [--cpu N] RATE}. */
    void set(ToolCommand args) throws ToolFailure {
        Integer cpu = args.cpu();
        double rate = args.rate();
        try (TargetJvm target = TargetJvm.connect(args.pid())) {
            if (cpu == null) {
                target.invoke("limitAllVcpus", new Object[] {rate}, new String[] {"double"});
                out.println("dirty limit " + Rates.format(rate) + " MB/s set for all vCPUs of process " + target.pid());
            } else {
                target.invoke("setVcpuDirtyLimit", new Object[] {cpu, rate}, new String[] {"int", "double"});
                out.println("dirty limit " + Rates.format(rate) + " MB/s set for vCPU " + cpu + " of process " + target.pid()
                        + (rate > 0 && isPending(target, cpu) ? "; pending: vCPU " + cpu
                        + " has not been seen yet, the limit applies when it first runs" : ""));
            }
        }
    }

    /** Whether the agent keeps {@code cpu}'s limit waiting for that vCPU to appear. */
    private static boolean isPending(TargetJvm target, int cpu) throws ToolFailure {
        for (CompositeData row : (CompositeData[]) target.invoke("queryVcpuDirtyLimit", new Object[0], new String[0])) {
            if ((Integer) row.get("cpuIndex") == cpu) {
                return (Boolean) row.get("pending");
            }
        }
        return false;
    }

    /** {@code cancel PID [--cpu N]}. */
    void cancel(ToolCommand args) throws ToolFailure {
        Integer cpu = args.cpu();
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
    void query(ToolCommand args) throws ToolFailure {
        boolean json = args.json();
        boolean all = args.all();
        Double watch = args.watch();
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
                        + ", every " + Rates.format(seconds) + " s (Ctrl-C to stop)");
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
    void calc(ToolCommand args) throws ToolFailure {
        Double seconds = args.seconds();
        boolean json = args.json();
        double window = seconds == null ? 1.0 : seconds;
        try (TargetJvm target = TargetJvm.connect(args.pid())) {
            CompositeData result = (CompositeData) target.invoke("calcDirtyRate", new Object[] {window}, new String[] {"double"});
            out.println(json ? QueryFormat.calcJson(result) : QueryFormat.calcText(result));
        }
    }

    /** {@code status PID}. */
    void status(ToolCommand args) throws ToolFailure {
        try (TargetJvm target = TargetJvm.connect(args.pid())) {
            out.println("dirtylimit-agent " + target.get("Version") + " in process " + target.pid() + ": active");
            out.println("profile: " + target.get("Profile"));
            out.println("policy: " + target.get("Policy") + ", period " + target.get("Period") + ", quantum "
                    + target.get("QuantumPages") + " pages, guard " + target.get("Guard")
                    + (Boolean.TRUE.equals(target.get("Guarded")) ? " (limits paced from the first page)"
                    : " (limits by the controller alone)"));
            out.println("vCPUs seen: " + Arrays.toString((int[]) target.get("Vcpus")));
            out.println("limits: " + target.get("Limits"));
            printList("hooks matched", (String[]) target.get("HooksMatched"));
            printList("hooks unmatched", (String[]) target.get("HooksUnmatched"));
            out.println("suppressed errors in hooks: " + target.get("SuppressedErrors"));
            out.println("migration: " + target.get("MigrationState"));
        }
    }

    /** {@code migration PID [MODE]}: the governor's state, or switches its mode and shows the new state. */
    void migration(ToolCommand args) throws ToolFailure {
        String mode = args.mode();
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
}
