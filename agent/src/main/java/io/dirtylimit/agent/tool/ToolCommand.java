package io.dirtylimit.agent.tool;

import io.dirtylimit.agent.OptionsException;
import io.dirtylimit.agent.control.LimitSpec;
import io.dirtylimit.core.Rates;
import io.dirtylimit.core.migration.MigrationMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One command line of the tool, read and checked before anything connects: the command, the
 * process and the command's values. Everything the command line can get wrong is a
 * {@link ToolFailure} with exit code 2 here; {@link #toArgs} writes it back as arguments that read
 * to the same command. {@code discover} reads its own command line ({@link DiscoverCommand}).
 *
 * @param command {@code help}, {@code version}, {@code list}, {@code attach}, {@code detach},
 *     {@code set}, {@code cancel}, {@code query}, {@code calc}, {@code status} or {@code migration}
 * @param pid the process, or -1 for {@code help}, {@code version} and {@code list}
 * @param options {@code attach}'s agent options (a relative profile path made absolute), else null
 * @param cpu {@code --cpu N} of {@code set} and {@code cancel}, or null
 * @param rate {@code set}'s RATE in MB/s, or null
 * @param json {@code --json} of {@code query} and {@code calc}
 * @param all {@code --all} of {@code query}
 * @param watch {@code query}'s refresh interval in seconds, or null
 * @param seconds {@code calc}'s window in seconds, or null (the default)
 * @param mode {@code migration}'s MODE, or null
 */
record ToolCommand(String command, long pid, String options, Integer cpu, Double rate, boolean json, boolean all,
                   Double watch, Double seconds, String mode) {

    /** Every command the tool knows. */
    static final List<String> COMMANDS = List.of("help", "-h", "--help", "version", "--version", "list", "attach", "detach",
            "set", "cancel", "query", "calc", "status", "migration", "discover");

    /**
     * Reads a command line.
     *
     * @param args the tool's arguments, the command first
     * @return the command
     * @throws ToolFailure with exit code 2 for anything the command line gets wrong
     */
    static ToolCommand parse(String[] args) throws ToolFailure {
        if (args.length == 0) {
            throw new ToolFailure(Cli.USAGE, "no command given");
        }
        return switch (args[0]) {
            case "help", "-h", "--help" -> plain("help");
            case "version", "--version" -> plain("version");
            case "list" -> {
                if (args.length > 1) {
                    throw new ToolFailure(Cli.USAGE, "list takes no arguments, got " + List.of(args).subList(1, args.length));
                }
                yield plain("list");
            }
            case "attach" -> attach(args);
            case "detach" -> {
                if (args.length != 2) {
                    throw new ToolFailure(Cli.USAGE, "detach takes a process id");
                }
                yield new ToolCommand("detach", pid(args[1]), null, null, null, false, false, null, null, null);
            }
            case "set", "cancel", "query", "calc", "status", "migration" -> control(new CommandArgs(args[0], args));
            case "discover" -> throw new ToolFailure(Cli.USAGE, "discover reads its own command line (DiscoverCommand)");
            default -> throw new ToolFailure(Cli.USAGE, "unknown command '" + args[0] + "'");
        };
    }

    private static ToolCommand plain(String command) {
        return new ToolCommand(command, -1, null, null, null, false, false, null, null, null);
    }

    private static ToolCommand attach(String[] args) throws ToolFailure {
        if (args.length < 2 || args.length > 3) {
            throw new ToolFailure(Cli.USAGE, "attach takes a process id and optionally the agent options");
        }
        String options;
        try {
            options = Cli.checkOptions(args.length == 3 ? args[2] : "");
        } catch (OptionsException e) {
            throw new ToolFailure(Cli.USAGE, "bad agent options: " + e.getMessage());
        }
        return new ToolCommand("attach", pid(args[1]), options, null, null, false, false, null, null, null);
    }

    /** A process id: decimal digits, at most 18. */
    static long pid(String text) throws ToolFailure {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ToolFailure(Cli.USAGE, "'" + text + "' is not a process id");
        }
        return Long.parseLong(text);
    }

    private static ToolCommand control(CommandArgs args) throws ToolFailure {
        String command = args.command();
        switch (command) {
            case "set" -> {
                Integer cpu = args.intOption("--cpu");
                double rate = rate(args.onlyPositional("RATE"));
                return new ToolCommand(command, args.pid(), null, cpu, rate, false, false, null, null, null);
            }
            case "cancel" -> {
                Integer cpu = args.intOption("--cpu");
                args.noPositional();
                return new ToolCommand(command, args.pid(), null, cpu, null, false, false, null, null, null);
            }
            case "query" -> {
                boolean json = args.flag("--json");
                boolean all = args.flag("--all");
                Double watch = args.optionalDouble("--watch", 1.0);
                args.noPositional();
                if (watch != null && !(watch >= 0.1 && watch <= 3600)) {
                    throw new ToolFailure(Cli.USAGE, "--watch takes a refresh interval from 0.1 to 3600 seconds, got " + watch);
                }
                return new ToolCommand(command, args.pid(), null, null, null, json, all, watch, null, null);
            }
            case "calc" -> {
                Double seconds = args.optionalDouble("--seconds", 1.0);
                boolean json = args.flag("--json");
                args.noPositional();
                return new ToolCommand(command, args.pid(), null, null, null, json, false, null, seconds, null);
            }
            case "migration" -> {
                String mode = args.optionalPositional("MODE");
                if (mode != null) {
                    try {
                        MigrationMode.forSwitch(mode);
                    } catch (IllegalArgumentException e) {
                        throw new ToolFailure(Cli.USAGE, e.getMessage());
                    }
                }
                return new ToolCommand(command, args.pid(), null, null, null, false, false, null, null, mode);
            }
            default -> {
                args.noPositional();
                return new ToolCommand(command, args.pid(), null, null, null, false, false, null, null, null);
            }
        }
    }

    /** MB/s from {@code 200}, {@code 12.5}, {@code 512K}, {@code 200M}, {@code 1G}; the sign is the agent's business. */
    static double rate(String text) throws ToolFailure {
        try {
            return Rates.parse(text) + 0.0; // no -0.0
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(Cli.USAGE, e.getMessage());
        }
    }

    /**
     * The command as arguments that {@link #parse} reads back to this command.
     *
     * @return the arguments, the command first
     */
    List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(command.equals("version") ? "--version" : command));
        if (pid >= 0) {
            args.add(Long.toString(pid));
        }
        if (options != null && !options.isEmpty()) {
            args.add(options);
        }
        if (cpu != null) {
            args.addAll(List.of("--cpu", Integer.toString(cpu)));
        }
        if (rate != null) {
            args.add(LimitSpec.formatRate(rate));
        }
        if (json) {
            args.add("--json");
        }
        if (all) {
            args.add("--all");
        }
        if (watch != null) {
            args.addAll(List.of("--watch", Double.toString(watch)));
        }
        if (seconds != null) {
            args.addAll(List.of("--seconds", Double.toString(seconds)));
        }
        if (mode != null) {
            args.add(mode);
        }
        return args;
    }
}
