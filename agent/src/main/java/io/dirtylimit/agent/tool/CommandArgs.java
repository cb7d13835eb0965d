package io.dirtylimit.agent.tool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A command's arguments after its name: the PID first, then options and positional values. */
final class CommandArgs {
    private final String command;
    private final long pid;
    private final List<String> rest;

    CommandArgs(String command, String[] args) throws ToolFailure {
        this.command = command;
        if (args.length < 2) {
            throw new ToolFailure(Cli.USAGE, command + " needs a process id (see: java -jar dirtylimit-agent.jar list)");
        }
        this.pid = ToolCommand.pid(args[1]);
        this.rest = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
    }

    String command() {
        return command;
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

    /** {@code name VALUE}, the value; absent gives null. */
    String stringOption(String name) throws ToolFailure {
        int at = rest.indexOf(name);
        if (at < 0) {
            return null;
        }
        if (at + 1 >= rest.size() || rest.get(at + 1).startsWith("--")) {
            throw new ToolFailure(Cli.USAGE, name + " needs a value");
        }
        String value = rest.remove(at + 1);
        rest.remove(at);
        if (rest.contains(name)) {
            throw new ToolFailure(Cli.USAGE, name + " given twice");
        }
        return value;
    }

    /** Every {@code name VALUE}, in order. */
    List<String> repeated(String name) throws ToolFailure {
        List<String> values = new ArrayList<>();
        int at;
        while ((at = rest.indexOf(name)) >= 0) {
            if (at + 1 >= rest.size() || rest.get(at + 1).startsWith("--")) {
                throw new ToolFailure(Cli.USAGE, name + " needs a value");
            }
            values.add(rest.remove(at + 1));
            rest.remove(at);
        }
        return values;
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
