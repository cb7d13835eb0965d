package io.dirtylimit.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.agent.fuzz.Fuzz;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the tool's command lines ({@link ToolCommand#parse}, everything the tool checks before it
 * connects): any arguments give a command or a {@link ToolFailure} with exit code 2 and a one-line
 * message, never another exception; a command written back ({@link ToolCommand#toArgs}) reads to
 * the same command; command lines generated from the usage text read to what was generated.
 */
class CommandLineFuzzTest {
    private static final String ALPHABET = "-=,;:. 0123456789acdehijlmnopqrstuwxyzKMG/";

    /** A command line and the command it must read to. */
    record Line(List<String> args, ToolCommand expected) {}

    /** One generator per command of the usage text: a new command or option is one more entry or choice. */
    private static final List<Function<Fuzz, Line>> COMMANDS = List.of(
            f -> new Line(List.of(f.pick("help", "-h", "--help")), command("help", -1)),
            f -> new Line(List.of(f.pick("version", "--version")), command("version", -1)),
            f -> new Line(List.of("list"), command("list", -1)),
            CommandLineFuzzTest::attach,
            f -> {
                long pid = pid(f);
                return new Line(List.of("detach", Long.toString(pid)), command("detach", pid));
            },
            CommandLineFuzzTest::set,
            CommandLineFuzzTest::cancel,
            CommandLineFuzzTest::query,
            CommandLineFuzzTest::calc,
            f -> {
                long pid = pid(f);
                return new Line(List.of("status", Long.toString(pid)), command("status", pid));
            },
            CommandLineFuzzTest::migration);

    @Test
    void anyArgumentsReadOrFailWithExitCode2() {
        Fuzz.check(14_201, Fuzz.TRIES, CommandLineFuzzTest::anyArgs, args -> {
            ToolCommand command;
            try {
                command = ToolCommand.parse(args);
            } catch (ToolFailure failure) {
                if (failure.exitCode() != Cli.USAGE || failure.getMessage().isBlank()
                        || failure.getMessage().chars().anyMatch(c -> c == '\n' || c == '\r')) {
                    throw new AssertionError("exit " + failure.exitCode() + ": " + Fuzz.show(failure.getMessage()));
                }
                return;
            }
            assertThat(read(command.toArgs())).isEqualTo(command);
        });
    }

    @Test
    void generatedCommandLinesReadToWhatWasGenerated() {
        Fuzz.check(14_202, 30_000, f -> f.pick(COMMANDS).apply(f), line -> {
            ToolCommand command = read(line.args());
            assertThat(command).as(String.join(" ", line.args())).isEqualTo(line.expected());
            assertThat(read(command.toArgs())).isEqualTo(command);
        });
    }

    private static String[] anyArgs(Fuzz f) {
        return switch (f.below(5)) {
            case 0 -> junk(f);
            case 4 -> new String[] {"attach", Long.toString(pid(f)), f.pick("profile=", "limit=", "period=", "report=", "")
                    + f.text(ALPHABET, 12)};
            case 1 -> mutated(f);
            case 2 -> {
                List<String> args = new ArrayList<>(f.pick(COMMANDS).apply(f).args());
                args.add(f.below(args.size() + 1), f.pick("--cpu", "--json", "--all", "--watch", "--seconds", "--", "-", "x",
                        "--cpu=1", f.text(ALPHABET, 8), "profile=" + f.text(ALPHABET, 8), "limit=" + f.text(ALPHABET, 8)));
                yield args.toArray(String[]::new);
            }
            default -> f.pick(COMMANDS).apply(f).args().toArray(String[]::new);
        };
    }

    private static String[] junk(Fuzz f) {
        List<String> args = new ArrayList<>();
        args.add(f.chance(0.7) ? f.pick(ToolCommand.COMMANDS) : f.text(ALPHABET, 10));
        for (int n = f.below(6); n > 0; n--) {
            args.add(switch (f.below(5)) {
                case 0 -> Long.toString(f.edgyLong());
                case 1 -> f.pick("--cpu", "--json", "--all", "--watch", "--seconds", "--help", "fit", "auto", "off");
                case 2 -> f.pick("NaN", "Infinity", "-0", "1e3", "0x10", "٣", "１２", "9".repeat(f.between(17, 40)), "");
                default -> f.text(ALPHABET, 12);
            });
        }
        return args.toArray(String[]::new);
    }

    private static String[] mutated(Fuzz f) {
        List<String> args = new ArrayList<>(f.pick(COMMANDS).apply(f).args());
        int at = f.below(args.size());
        args.set(at, f.mutate(args.get(at), ALPHABET));
        return args.toArray(String[]::new);
    }

    // ---- one generator per command

    private static long pid(Fuzz f) {
        return f.chance(0.7) ? f.between(1L, 4_194_304L) : f.between(0L, 999_999_999_999_999_999L);
    }

    private static ToolCommand command(String name, long pid) {
        return new ToolCommand(name, pid, null, null, null, false, false, null, null, null);
    }

    private static Line attach(Fuzz f) {
        long pid = pid(f);
        String options = f.pick("", "profile=toyvm", "limit=200", "profile=toyvm-store,limit=0:200;1:50", "period=500ms,policy=pi",
                "migration=auto,migration-mode=qemu", "guard=off,log=debug");
        List<String> args = new ArrayList<>(List.of("attach", Long.toString(pid)));
        if (!options.isEmpty() || f.chance(0.3)) {
            args.add(options);
        }
        return new Line(args, new ToolCommand("attach", pid, options, null, null, false, false, null, null, null));
    }

    private static Line set(Fuzz f) {
        long pid = pid(f);
        Integer cpu = f.chance(0.5) ? (f.chance(0.8) ? f.below(64) : f.between(Integer.MIN_VALUE, Integer.MAX_VALUE)) : null;
        String rateText = f.pick("200", "12.5", "512K", "1G", "200m", "0", "-5", "0.001", Long.toString(f.between(0L, 1_000_000_000L)));
        double rate = io.dirtylimit.core.Rates.parse(rateText) + 0.0;
        List<String> args = new ArrayList<>(List.of("set", Long.toString(pid)));
        List<String> rest = new ArrayList<>(List.of(rateText));
        if (cpu != null) {
            rest.add(f.below(2) * rest.size(), "--cpu " + cpu);
        }
        rest.forEach(word -> args.addAll(List.of(word.split(" "))));
        return new Line(args, new ToolCommand("set", pid, null, cpu, rate, false, false, null, null, null));
    }

    private static Line cancel(Fuzz f) {
        long pid = pid(f);
        Integer cpu = f.chance(0.5) ? f.below(1024) : null;
        List<String> args = new ArrayList<>(List.of("cancel", Long.toString(pid)));
        if (cpu != null) {
            args.addAll(List.of("--cpu", cpu.toString()));
        }
        return new Line(args, new ToolCommand("cancel", pid, null, cpu, null, false, false, null, null, null));
    }

    private static Line query(Fuzz f) {
        long pid = pid(f);
        boolean json = f.chance(0.5);
        boolean all = f.chance(0.5);
        Double watch = null;
        List<List<String>> flags = new ArrayList<>();
        if (json) {
            flags.add(List.of("--json"));
        }
        if (all) {
            flags.add(List.of("--all"));
        }
        if (f.chance(0.4)) {
            boolean bare = f.chance(0.3);
            watch = bare ? 1.0 : f.pick(0.1, 0.5, 2.5, 3600.0, 60.0);
            flags.add(bare ? List.of("--watch") : List.of("--watch", Double.toString(watch)));
        }
        // A bare --watch is followed by a flag (which starts with --) or by nothing: both read as 1 s.
        java.util.Collections.shuffle(flags, new java.util.Random(f.between(0L, Long.MAX_VALUE)));
        List<String> args = new ArrayList<>(List.of("query", Long.toString(pid)));
        flags.forEach(args::addAll);
        return new Line(args, new ToolCommand("query", pid, null, null, null, json, all, watch, null, null));
    }

    private static Line calc(Fuzz f) {
        long pid = pid(f);
        boolean json = f.chance(0.5);
        Double seconds = f.chance(0.5) ? f.pick(0.01, 0.5, 1.0, 60.0, 3.25) : null;
        List<String> args = new ArrayList<>(List.of("calc", Long.toString(pid)));
        if (seconds != null) {
            args.addAll(List.of("--seconds", Double.toString(seconds)));
        }
        if (json) {
            args.add(f.chance(0.5) ? 2 : args.size(), "--json");
        }
        return new Line(args, new ToolCommand("calc", pid, null, null, null, json, false, null, seconds, null));
    }

    private static Line migration(Fuzz f) {
        long pid = pid(f);
        String mode = f.chance(0.5) ? f.pick("off", "auto", "fit", "qemu", "auto-converge") : null;
        List<String> args = new ArrayList<>(List.of("migration", Long.toString(pid)));
        if (mode != null) {
            args.add(mode);
        }
        return new Line(args, new ToolCommand("migration", pid, null, null, null, false, false, null, null, mode));
    }

    private static ToolCommand read(List<String> args) {
        try {
            return ToolCommand.parse(args.toArray(String[]::new));
        } catch (ToolFailure failure) {
            throw new AssertionError(args + " did not read: " + failure.getMessage(), failure);
        }
    }
}
