package io.dirtylimit.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the toy VM and agent jars are: given explicitly, or under the repository root, found by
 * walking up from the bench jar's location and then from the working directory.
 */
record RepoJars(Path toyVm, Path agent) {
    static final String TOYVM = "examples/target/toyvm.jar";
    static final String AGENT = "agent/target/dirtylimit-agent.jar";

    /**
     * The jars, from {@code repo} (may be null: search) and the explicit paths (may be null).
     *
     * @throws IllegalArgumentException naming the missing jar and how to build it
     */
    static RepoJars locate(Path repo, Path toyVm, Path agent) {
        Path root = repo != null ? repo : findRoot();
        Path toy = toyVm != null ? toyVm : root == null ? null : root.resolve(TOYVM);
        Path agt = agent != null ? agent : root == null ? null : root.resolve(AGENT);
        require(toy, TOYVM, "--toyvm", "mvn -B -ntp -pl examples package -DskipTests");
        require(agt, AGENT, "--agent", "mvn -B -ntp -pl agent -am package -DskipTests");
        return new RepoJars(toy.toAbsolutePath().normalize(), agt.toAbsolutePath().normalize());
    }

    private static void require(Path jar, String relative, String option, String build) {
        if (jar == null) {
            throw new IllegalArgumentException("cannot find the repository root (a directory with " + relative
                    + ") above the bench jar or the working directory: pass --repo DIR or " + option + " JAR");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar.toAbsolutePath().normalize() + " not found: build it with `" + build
                    + "` from the repository root, or pass " + option + " JAR");
        }
    }

    /** The nearest directory holding a root pom and the examples module, above the bench classes or the working directory. */
    private static Path findRoot() {
        Path fromJar = above(codeLocation());
        return fromJar != null ? fromJar : above(Path.of("").toAbsolutePath());
    }

    private static Path above(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("examples"))
                    && Files.isDirectory(dir.resolve("agent"))) {
                return dir;
            }
        }
        return null;
    }

    private static Path codeLocation() {
        try {
            return Path.of(RepoJars.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
