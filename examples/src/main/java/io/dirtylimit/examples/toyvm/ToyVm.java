package io.dirtylimit.examples.toyvm;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The toy emulator's entry point: {@code java -jar toyvm.jar [options]}. See {@code --help}.
 *
 * <p>Exit status: 0 after {@code quit} or {@code --seconds}, 2 for bad command-line input,
 * 1 when the VM cannot be created.
 */
public final class ToyVm {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private ToyVm() {}

    /** Runs the emulator; exits the JVM with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the emulator with the process's stdin as the monitor; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** Runs the emulator until {@code quit} or {@code --seconds}; returns the exit status. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (OptionParser.wantsHelp(args)) {
            out.println(OptionParser.USAGE);
            return EXIT_OK;
        }
        VmConfig config;
        try {
            config = new OptionParser(Runtime.getRuntime().maxMemory()).parse(args);
        } catch (UsageException e) {
            err.println("toyvm: " + e.getMessage());
            err.println("toyvm: try --help");
            return EXIT_USAGE;
        }
        Console console = new Console(out, err, config.stats() == VmConfig.StatsMode.CSV);
        Machine machine;
        try {
            machine = new Machine(config, console, statsSink(config, console));
        } catch (OutOfMemoryError e) {
            err.println("toyvm: --mem: cannot allocate " + Units.formatSize(config.memBytes()) + " of guest RAM; run java with a larger -Xmx");
            return EXIT_FAILURE;
        }
        printBanner(machine, console);
        return runUntilQuit(machine, console, in);
    }

    private static int runUntilQuit(Machine machine, Console console, InputStream in) {
        machine.start();
        new Monitor(machine, console).startReading(in);
        try {
            machine.awaitQuit();
            machine.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        console.info("toyvm: quit");
        return EXIT_OK;
    }

    private static StatsSink statsSink(VmConfig config, Console console) {
        switch (config.stats()) {
            case CSV: return StatsSink.csv(console);
            case TABLE: return StatsSink.table(console);
            default: return StatsSink.none();
        }
    }

    private static void printBanner(Machine machine, Console console) {
        VmConfig c = machine.config();
        String tracking = c.ringless() ? "dirty log (no ring)" : "dirty ring " + c.ringSize() + " entries/vCPU";
        console.info("toyvm: " + Units.formatSize(c.memBytes()) + " RAM, " + c.vcpus() + " vCPU(s), " + tracking);
        for (Vcpu vcpu : machine.vcpus()) {
            console.info("toyvm: vcpu-" + vcpu.index + ": " + vcpu.workload().describe());
        }
    }
}
