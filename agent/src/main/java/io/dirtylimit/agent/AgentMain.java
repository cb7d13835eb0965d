package io.dirtylimit.agent;

import io.dirtylimit.agent.discover.DiscoverOptions;
import io.dirtylimit.agent.discover.Discovery;
import io.dirtylimit.agent.instrument.BridgeInjector;
import io.dirtylimit.agent.instrument.IncompatibleBridgeException;
import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.ProfileException;
import io.dirtylimit.agent.profile.Profiles;
import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent:dirtylimit-agent.jar=OPTIONS} calls {@link #premain},
 * the Attach API ({@code java -jar dirtylimit-agent.jar attach PID}) calls {@link #agentmain}.
 *
 * <p>Neither ever throws: a premain that throws would abort the emulator's start-up. Malformed
 * options print one line on stderr and install nothing. This class must not refer to the bridge
 * classes (see {@link BridgeInjector}); it only reaches them through {@link AgentRuntime} after
 * the injection. The command-line tool (package {@code tool}) is never loaded on this side.
 */
public final class AgentMain {
    static final String AT_START_UP = "at start-up";

    private AgentMain() {}

    /**
     * Called before the emulator's main method when started with {@code -javaagent}.
     *
     * @param arguments the options after {@code =}, or null
     * @param inst the JVM's instrumentation
     */
    public static void premain(String arguments, Instrumentation inst) {
        run(arguments, inst, AT_START_UP);
    }

    /**
     * Called when loaded into a running JVM through the Attach API; {@code discover,...} options start
     * a discover instead (see {@link Discovery}).
     *
     * @param arguments the options, or null
     * @param inst the JVM's instrumentation (a new instance on every load)
     */
    public static void agentmain(String arguments, Instrumentation inst) {
        if (DiscoverOptions.isDiscover(arguments)) {
            keepByteBuddyOffUnsafe();
            Discovery.agentmain(arguments, inst);
            return;
        }
        run(arguments, inst, "by attach");
    }

    private static void run(String arguments, Instrumentation inst, String how) {
        keepByteBuddyOffUnsafe();
        Discovery.remember(inst);
        AgentReport report = new AgentReport();
        AgentOptions options = null;
        try {
            options = AgentOptions.parse(arguments);
            if (options.log != null) {
                Log.setLevel(options.log);
            }
            report.line("dirtylimit-agent " + version() + " in pid " + ProcessHandle.current().pid()
                    + " (java " + System.getProperty("java.version") + ")");
            if (options.detach) {
                detach(inst, report);
            } else {
                start(options, inst, how, report);
            }
        } catch (OptionsException e) {
            Log.always("bad agent options, nothing installed: " + e.getMessage());
            report.recordError("bad agent options, nothing installed: " + e.getMessage());
            options = reportOnly(arguments);
        } catch (Throwable failure) {
            Log.always("the agent failed, the emulator carries on: " + failure);
            report.recordError("the agent failed: " + failure);
        } finally {
            if (options != null) {
                report.writeTo(options.report);
            }
        }
    }

    /** Reads the profile first: a profile with errors installs nothing, not even the bridge. */
    private static void start(AgentOptions options, Instrumentation inst, String how, AgentReport report) throws Exception {
        String discovering = Discovery.running();
        if (discovering != null) {
            report.error(discovering + "; nothing changed");
            return;
        }
        Profile profile = null;
        if (options.profile != null || AgentState.current() != AgentState.ACTIVE) {
            try {
                profile = Profiles.load(options.profileOrDefault());
            } catch (ProfileException e) {
                e.errors().forEach(report::error);
                report.line("nothing changed: the profile has errors");
                return;
            }
        }
        String bridge;
        try {
            bridge = BridgeInjector.ensureInBootstrap(inst);
        } catch (IncompatibleBridgeException e) {
            report.error(e.getMessage());
            return;
        }
        AgentRuntime.start(options, profile, inst, how, bridge, report);
    }

    private static void detach(Instrumentation inst, AgentReport report) {
        if (!BridgeInjector.inBootstrap()) {
            report.line("not active: nothing to detach");
            return;
        }
        try {
            BridgeInjector.checkLoadedVersion();
        } catch (IncompatibleBridgeException e) {
            report.error(e.getMessage());
            return;
        }
        AgentRuntime.detach(report);
    }

    /** Malformed options may still carry the tool's report= path: find it, so the tool hears the error. */
    private static AgentOptions reportOnly(String arguments) {
        if (arguments == null) {
            return null;
        }
        for (String pair : arguments.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.startsWith("report=")) {
                try {
                    return AgentOptions.parse(trimmed);
                } catch (OptionsException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * The agent needs no class injection, so our Byte Buddy need not probe sun.misc.Unsafe (which
     * makes JDK 24+ print warnings on the emulator's stderr). The shade plugin relocates this
     * property name with the classes: it only concerns the agent's own copy of Byte Buddy.
     */
    private static void keepByteBuddyOffUnsafe() {
        String property = "net.bytebuddy.safe";
        if (System.getProperty(property) == null) {
            System.setProperty(property, "true");
        }
    }

    /**
     * The agent's version, from its jar's manifest.
     *
     * @return e.g. {@code 0.1.0-SNAPSHOT}, or {@code dev} outside the jar
     */
    public static String version() {
        String version = AgentMain.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
