package io.dirtylimit.examples.toyvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The monitor console, like QEMU's HMP: one command per line on stdin, replies on stdout. A bad
 * command gets an {@code error:} reply and the VM keeps running.
 */
final class Monitor {
    static final String HELP = String.join("\n",
            "info vcpus                  state, workload and instruction count of each vCPU",
            "info dirty                  last second's dirty rate per vCPU, ring fill, VM dirty bitmap",
            "info migrate                progress or result of the last migration",
            "pause                       stop all vCPUs (at their next slice boundary)",
            "resume                      let them run again",
            "unplug N                    stop vCPU N's thread",
            "plug N                      hot-plug vCPU N back after unplug: a new thread vcpu-N runs it on",
            "migrate [bandwidth=MB/s] [downtime=ms] [max-passes=N] [max-seconds=S]",
            "                            pre-copy live migration to an in-process destination",
            "migrate_cancel              give up the running migration",
            "quit                        stop the VM",
            "help                        this list");

    private final Machine machine;
    private final Console console;

    Monitor(Machine machine, Console console) {
        this.machine = machine;
        this.console = console;
    }

    /** Reads commands on a daemon thread until end of input. */
    void startReading(InputStream in) {
        Thread t = new Thread(() -> readLoop(in), "monitor");
        t.setDaemon(true);
        t.start();
    }

    private void readLoop(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                execute(line);
            }
        } catch (IOException e) {
            console.error("monitor: cannot read stdin: " + e.getMessage());
        }
        if (machine.config().seconds() == 0) {
            console.info("monitor: end of input; the VM keeps running until killed");
        }
    }

    /** Runs one command line and writes its reply. */
    void execute(String line) {
        List<String> words = Arrays.asList(line.trim().split("\\s+"));
        if (words.get(0).isEmpty()) {
            return;
        }
        try {
            String reply = dispatch(words.get(0).toLowerCase(Locale.ROOT), words.subList(1, words.size()));
            if (!reply.isEmpty()) {
                console.reply(reply);
            }
        } catch (MonitorException e) {
            console.reply("error: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            console.reply("error: interrupted");
        }
    }

    private String dispatch(String command, List<String> args) throws MonitorException, InterruptedException {
        switch (command) {
            case "info":
                return info(args);
            case "pause":
                noArguments(command, args);
                machine.pause();
                return "paused";
            case "resume":
                noArguments(command, args);
                machine.resume();
                return "resumed";
            case "unplug":
                machine.unplug(vcpuIndex("unplug", args));
                return "vCPU " + args.get(0) + " unplugged";
            case "plug":
                machine.plug(vcpuIndex("plug", args));
                return "vCPU " + args.get(0) + " plugged in";
            case "migrate":
                return migrate(args);
            case "migrate_cancel":
                return cancelMigration(args);
            case "quit":
                noArguments(command, args);
                machine.requestQuit();
                return "";
            case "help":
                return HELP;
            default:
                throw new MonitorException("unknown command '" + command + "' (try 'help')");
        }
    }

    private String info(List<String> args) throws MonitorException {
        String what = args.size() == 1 ? args.get(0) : "";
        switch (what) {
            case "vcpus":
                return MonitorInfo.vcpus(machine);
            case "dirty":
                return MonitorInfo.dirty(machine);
            case "migrate":
                return MonitorInfo.migrate(machine.migration());
            default:
                throw new MonitorException("usage: info vcpus | info dirty | info migrate");
        }
    }

    private String migrate(List<String> args) throws MonitorException {
        MigrationParams params;
        try {
            params = MigrationParams.parse(args);
        } catch (IllegalArgumentException e) {
            throw new MonitorException("migrate: " + e.getMessage());
        }
        machine.migrate(params);
        return "migration started: " + params.describe();
    }

    private String cancelMigration(List<String> args) throws MonitorException {
        noArguments("migrate_cancel", args);
        Migration m = machine.migration();
        if (m == null || m.isFinished()) {
            throw new MonitorException("no migration in progress");
        }
        m.cancel();
        return "migration cancel requested";
    }

    private int vcpuIndex(String command, List<String> args) throws MonitorException {
        if (args.size() != 1) {
            throw new MonitorException("usage: " + command + " N (a vCPU index)");
        }
        int index = Units.parseCount(args.get(0));
        if (index < 0) {
            throw new MonitorException(command + ": '" + args.get(0) + "' is not a vCPU index");
        }
        return index;
    }

    private static void noArguments(String command, List<String> args) throws MonitorException {
        if (!args.isEmpty()) {
            throw new MonitorException(command + " takes no arguments");
        }
    }
}
