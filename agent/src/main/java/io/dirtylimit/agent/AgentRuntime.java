package io.dirtylimit.agent;

import io.dirtylimit.agent.control.ControlServer;
import io.dirtylimit.agent.control.JmxRegistration;
import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.runtime.CoreThrottle;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * The agent's life in one JVM: install a profile, apply new options to the installed one (a second
 * attach), switch profiles, detach. Loaded only after the bridge is on the bootstrap class loader.
 * All transitions hold the class lock; hooks never take it.
 */
final class AgentRuntime {
    /** The installed profile, or null (guarded by AgentRuntime.class). */
    private static Installation current;

    private AgentRuntime() {}

    /** The installed profile, or null when not active; for the MXBean. */
    static synchronized Installation current() {
        return current;
    }

    /**
     * Installs {@code profile}, or applies the options to the profile already installed when
     * {@code profile} is null or the same text.
     */
    static synchronized void start(AgentOptions options, Profile given, Instrumentation inst, String how, String bridge,
                                   AgentReport report) {
        Profile profile = given != null ? given : current != null ? current.profile : null;
        if (profile == null) {
            report.error("no profile to install");
            return;
        }
        if (current != null && current.profile.text().equals(profile.text())) {
            reconfigure(options, report);
            return;
        }
        if (current != null) {
            report.line("switching profile from " + current.profile.origin() + " to " + profile.origin());
            detach(report);
        }
        install(profile, options, inst, how, bridge, report);
    }

    private static void install(Profile profile, AgentOptions options, Instrumentation inst, String how, String bridge,
                                AgentReport report) {
        Installation installation;
        try {
            CoreThrottle throttle = CoreThrottle.create(profile, options.period, options.policy, options.quantum, options.guard);
            installation = Installation.install(profile, inst, throttle, options);
        } catch (IllegalArgumentException e) {
            report.error(e.getMessage());
            report.line("nothing installed");
            return;
        }
        current = installation;
        AgentState.ACTIVE.publish();
        System.setProperty(AgentState.PROFILE_PROPERTY, profile.origin());
        System.setProperty(AgentState.VERSION_PROPERTY, AgentMain.version());
        JmxRegistration.ensureStarted(AgentRuntime::current, AgentMain.version());
        String control = ControlServer.start(AgentRuntime::current, AgentMain.version());
        report.line("installed (" + how + "), profile " + profile.name() + " from " + profile.origin()
                + ", vcpu-id " + profile.vcpuRule() + ", page size " + profile.pageSize());
        report.line("bridge: " + bridge);
        report.line("control: " + control);
        installation.describe(report, how.equals(AgentMain.AT_START_UP));
    }

    private static void reconfigure(AgentOptions options, AgentReport report) {
        Installation installation = current;
        report.line("already active with profile " + installation.profile.name() + " from "
                + installation.profile.origin() + ": applying the new options, hooks unchanged");
        try {
            installation.reconfigure(options);
        } catch (IllegalArgumentException e) {
            report.error(e.getMessage());
        }
        installation.describe(report, false);
    }

    /** Removes every hook and stops the throttle; the bridge stays (it cannot be unloaded) with a no-op handler. */
    static synchronized void detach(AgentReport report) {
        Installation installation = current;
        if (installation == null) {
            report.line("not active: nothing to detach");
            return;
        }
        current = null;
        ControlServer.stop();
        installation.describeFaults(report);
        List<String> restored = installation.uninstall();
        installation.hooks.errors().forEach(report::warning);
        AgentState.DETACHED.publish();
        report.line("detached: limits cancelled, sleeping vCPUs woken, controller stopped, "
                + (restored == null ? "no hooks installed" : "original bytecode restored in " + restored.size()
                + " class(es)" + (restored.isEmpty() ? "" : ": " + String.join(", ", restored))));
    }
}
