package io.dirtylimit.bench.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench module's own overhead tools, run as child JVMs from the bench jar: the JMH hook
 * fast-path benchmark ({@code HookFastPathBenchmark}, CSV result file) and the toy VM throughput
 * ratio runner ({@code io.dirtylimit.bench.ToyVmOverhead}, its printed table). Nothing is re-measured here.
 */
final class Overhead {
    /** What one tool produced. */
    record Result(String name, List<String> command, List<String> output, int exitCode, boolean killed) {}

    private Overhead() {}

    static Result jmh(String java, Path benchJar, Path csv, boolean quick, Path scratch) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "-jar", benchJar.toString(), "HookFastPathBenchmark", "-f", "1"));
        command.addAll(quick ? List.of("-wi", "1", "-i", "2", "-w", "500ms", "-r", "500ms")
                : List.of("-wi", "1", "-i", "3", "-w", "1s", "-r", "1s"));
        command.addAll(List.of("-rf", "csv", "-rff", csv.toString()));
        ChildJvm.Output out = ChildJvm.run(command, scratch, 600);
        return new Result("jmh", command, out.stdout(), out.exitCode(), out.killed());
    }

    static Result toyVm(String java, Path benchJar, Path repo, boolean quick, Path scratch) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "-cp", benchJar.toString(), "io.dirtylimit.bench.ToyVmOverhead",
                "--repo", repo.toString()));
        command.addAll(quick ? List.of("--rounds", "1", "--seconds", "3", "--cases", "ring-full,toyvm")
                : List.of("--rounds", "2", "--seconds", "4"));
        ChildJvm.Output out = ChildJvm.run(command, scratch, 900);
        List<String> lines = new ArrayList<>(out.stdout());
        if (out.exitCode() == 2 || out.killed()) {
            lines.addAll(out.stderr());
        }
        return new Result("toyvm-overhead", command, lines, out.exitCode(), out.killed());
    }

    /** JMH's CSV as a markdown table: benchmark, score and error in ns per call. */
    static List<String> jmhTable(Path csv) throws IOException {
        List<String> table = new ArrayList<>();
        if (!Files.isRegularFile(csv)) {
            table.add("(no JMH result file: the benchmark run failed, see the log)");
            return table;
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",");
        String params = header.length > 7 ? String.join(", ", java.util.Arrays.asList(header).subList(7, header.length))
                .replace("\"", "").replace("Param: ", "") : "params";
        table.add("| benchmark | " + params + " | ns per call | +- (99.9 %) | samples |");
        table.add("| --- | --- | ---: | ---: | ---: |");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            if (f.length < 7) {
                continue;
            }
            String name = f[0].replace("\"", "");
            name = name.substring(name.lastIndexOf('.') + 1);
            String values = f.length > 7 ? String.join(", ", java.util.Arrays.asList(f).subList(7, f.length)).replace("\"", "") : "";
            table.add("| `" + name + "` | " + values + " | " + round(f[4]) + " | " + round(f[5]) + " | " + f[3] + " |");
        }
        return table;
    }

    private static String round(String v) {
        try {
            return String.format(java.util.Locale.ROOT, "%.2f", Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return v;
        }
    }
}
