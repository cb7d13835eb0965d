package io.dirtylimit.bench.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one child process to completion (or kills it after a deadline) and returns its output. */
final class ChildJvm {
    /** The output of a child. */
    record Output(List<String> stdout, List<String> stderr, int exitCode, boolean killed) {
        String tail() {
            return String.join("\n", stderr.subList(Math.max(0, stderr.size() - 15), stderr.size()));
        }
    }

    private ChildJvm() {}

    static Output run(List<String> command, Path scratch, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "child-", ".out");
        Path err = Files.createTempFile(scratch, "child-", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
            boolean killed = false;
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                killed = true;
            }
            return new Output(Files.readAllLines(out, StandardCharsets.UTF_8), Files.readAllLines(err, StandardCharsets.UTF_8),
                    process.exitValue(), killed);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
