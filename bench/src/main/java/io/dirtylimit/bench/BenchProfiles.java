package io.dirtylimit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Profiles bundled with the benchmarks (resources {@code io/dirtylimit/bench/profiles/NAME.profile})
 * for hook roles no built-in profile isolates. The agent loads a non-built-in profile from a file,
 * so they are copied to a temporary directory first.
 */
final class BenchProfiles {
    /** The bundled profiles' names. */
    static final List<String> BUNDLED = List.of("toyvm-ring-full", "toyvm-vcpu-loop", "tenants-by-thread", "tenants-units");
    /** The agent's built-in profile names (passed to the agent as they are). */
    static final List<String> BUILT_IN = List.of("toyvm", "toyvm-bitmap", "toyvm-store");

    private BenchProfiles() {}

    /** What to pass as {@code profile=}: a built-in name as is, a bundled one as a file in {@code dir}. */
    static String resolve(String name, Path dir) {
        if (BUILT_IN.contains(name)) {
            return name;
        }
        if (!BUNDLED.contains(name)) {
            throw new IllegalArgumentException("unknown profile '" + name + "' (built-in: " + String.join(", ", BUILT_IN)
                    + "; bundled with the benchmarks: " + String.join(", ", BUNDLED) + ")");
        }
        return extract(name, dir).toString();
    }

    /** Copies the bundled profile {@code name} to {@code dir}; returns the file. */
    static Path extract(String name, Path dir) {
        String resource = "profiles/" + name + ".profile";
        try (InputStream in = BenchProfiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled profile " + resource + " is missing from the bench classes");
            }
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".profile");
            Files.write(file, in.readAllBytes());
            file.toFile().deleteOnExit();
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the bundled profile " + name + " to " + dir, e);
        }
    }

    /** A fresh temporary directory, deleted with its files when the JVM exits. */
    static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("dirtylimit-bench-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }
}
