package io.dirtylimit.agent.it;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the integration tests find the built jars and their scratch directory. */
final class ItPaths {
    private ItPaths() {}

    /** The shaded agent jar, built by the package phase. */
    static Path agentJar() {
        String path = System.getProperty("dirtylimit.agent.jar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("dirtylimit.agent.jar is not set to the built agent jar (run through mvn verify): " + path);
        }
        return Path.of(path);
    }

    /** The examples (toy VM and othervm) classes: their jar or classes directory on the test class path. */
    static Path examplesClasspath() {
        try {
            Class<?> toyVm = Class.forName("io.dirtylimit.examples.othervm.OtherVm");
            return Path.of(toyVm.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("the examples module is not on the test class path", e);
        }
    }

    /** The repository's root (README.md is there). */
    static Path repo() {
        return Path.of(System.getProperty("dirtylimit.repo.dir", "..")).toAbsolutePath().normalize();
    }

    /** The othervm profile in the examples sources. */
    static Path othervmProfile() {
        return examplesProfile("othervm");
    }

    /** A profile in the examples sources, by name: othervm, othervm-instances, tenants. */
    static Path examplesProfile(String name) {
        return Path.of(System.getProperty("dirtylimit.examples.dir", "../examples"), "src/main/resources/profiles/" + name + ".profile")
                .toAbsolutePath().normalize();
    }

    /** A scratch directory for this run's files. */
    static Path scratch() throws java.io.IOException {
        Path dir = Path.of(System.getProperty("dirtylimit.it.dir", "target/it"));
        Files.createDirectories(dir);
        return dir;
    }

    /** The java launcher of the JDK running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
