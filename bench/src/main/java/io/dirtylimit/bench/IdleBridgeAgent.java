package io.dirtylimit.bench;

import io.dirtylimit.bridge.Bridge;
import io.dirtylimit.bridge.BridgeHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Diagnostic agent for {@link ToyVmOverhead}'s {@code *-idle} cases: given after the dirtylimit agent
 * ({@code -javaagent:dirtylimit-agent.jar=... -javaagent:idle-bridge.jar}), it replaces the agent's
 * bridge handler by one that does nothing. The hooks stay inlined in the emulator, so the run shows
 * what the inlined advice and the bridge cost on their own, without the dispatcher behind them:
 * the floor of the current hook design, and what a prepared mode with an idle handler would cost.
 */
public final class IdleBridgeAgent {
    static final String INSTALLED = "dirtylimit-bench: idle bridge handler installed, replacing ";

    private IdleBridgeAgent() {}

    /** Runs after the dirtylimit agent's premain (agents start in command-line order). */
    public static void premain(String args) {
        BridgeHandler previous = Bridge.install(new Idle());
        System.err.println(INSTALLED + previous.getClass().getName());
    }

    /** A handler whose every method is the base class's empty one. */
    static final class Idle extends BridgeHandler {}

    /** Writes the agent jar (these two classes and a manifest naming the premain) to {@code jar}. */
    static Path writeJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), IdleBridgeAgent.class.getName());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> type : new Class<?>[] {IdleBridgeAgent.class, Idle.class}) {
                String entry = type.getName().replace('.', '/') + ".class";
                try (InputStream in = IdleBridgeAgent.class.getClassLoader().getResourceAsStream(entry)) {
                    if (in == null) {
                        throw new IOException("class file " + entry + " not found on the class path");
                    }
                    out.putNextEntry(new JarEntry(entry));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        jar.toFile().deleteOnExit();
        return jar;
    }
}
