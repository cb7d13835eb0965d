package io.dirtylimit.agent;

import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agent's life in one JVM: install a profile, apply new options to the installed one (a second
 * attach), switch profiles, detach. Loaded only after the bridge is on the bootstrap class loader.
 * All transitions hold the class lock; hooks never take it.
 */
final class AgentRuntime {
    /** {@code active} or {@code detached}; readable by the command-line tool through the Attach API. */
    static final String STATE_PROPERTY = "io.dirtylimit.agent.state";
    static final String PROFILE_PROPERTY = "io.dirtylimit.agent.profile";
    static final String VERSION_PROPERTY = "io.dirtylimit.agent.version";

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
            installation = Installation.install(profile, inst, CoreThrottle.create(profile, options), options);
        } catch (IllegalArgumentException e) {
            report.error(e.getMessage());
            report.line("nothing installed");
            return;
        }
        current = installation;
        System.setProperty(STATE_PROPERTY, "active");
        System.setProperty(PROFILE_PROPERTY, profile.origin());
        System.setProperty(VERSION_PROPERTY, AgentMain.version());
        JmxRegistration.ensureStarted();
        report.line("installed (" + how + "), profile " + profile.name() + " from " + profile.origin()
                + ", vcpu-id " + profile.vcpuRule() + ", page size " + profile.pageSize());
        report.line("bridge: " + bridge);
        describeHooks(installation, report, how.equals(AgentMain.AT_START_UP));
        describeSettings(installation, report);
    }

    private static void reconfigure(AgentOptions options, AgentReport report) {
        Installation installation = current;
        report.line("already active with profile " + installation.profile.name() + " from "
                + installation.profile.origin() + ": applying the new options, hooks unchanged");
        try {
            if (options.period != null) {
                installation.throttle.setPeriod(options.period);
            }
            if (options.policy != null) {
                installation.throttle.setPolicy(options.policy);
            }
            if (options.quantum != null) {
                installation.throttle.setQuantum(options.quantum);
            }
            if (options.countAlways != null) {
                installation.setCountAlways(options.countAlways);
            }
            if (!options.limit.isEmpty()) {
                installation.applyLimits(options.limit);
            }
            if (options.hasMigration()) {
                installation.governor.configure(options.migrationSettings(installation.governor.settings()));
            }
        } catch (IllegalArgumentException e) {
            report.error(e.getMessage());
        }
        if (options.faultEvery != installation.faultEvery() && (options.faultEvery > 0 || installation.faultEvery() > 0)) {
            installation.setFaultEvery(options.faultEvery);
        }
        describeHooks(installation, report, false);
        describeSettings(installation, report);
    }

    /** Removes every hook and stops the throttle; the bridge stays (it cannot be unloaded) with a no-op handler. */
    static synchronized void detach(AgentReport report) {
        Installation installation = current;
        if (installation == null) {
            report.line("not active: nothing to detach");
            return;
        }
        current = null;
        describeFaults(installation, report);
        List<String> restored = installation.uninstall();
        installation.hooks.errors().forEach(report::warning);
        System.setProperty(STATE_PROPERTY, "detached");
        report.line("detached: limits cancelled, sleeping vCPUs woken, controller stopped, "
                + (restored == null ? "no hooks installed" : "original bytecode restored in " + restored.size()
                + " class(es)" + (restored.isEmpty() ? "" : ": " + String.join(", ", restored))));
    }

    /** At start-up the emulator's classes are not loaded yet: an unmatched hook is normal then, not a warning. */
    private static void describeHooks(Installation installation, AgentReport report, boolean startUp) {
        Set<String> loaded = startUp ? Set.of() : Arrays.stream(installation.inst.getAllLoadedClasses()).map(Class::getName)
                .collect(Collectors.toSet());
        for (HookSpec hook : installation.profile.hooks()) {
            String head = "hook " + hook.index() + " (line " + hook.line() + ") " + hook.describe();
            List<String> matched = installation.hooks.matched(hook.index());
            for (String method : matched) {
                report.line(head + ": instruments " + method);
            }
            for (String refusal : installation.hooks.refused(hook.index())) {
                report.warning(head + ": refused " + refusal);
            }
            if (matched.isEmpty() && loaded.isEmpty()) {
                report.line(head + ": waiting for its class to load");
            } else if (matched.isEmpty()) {
                report.warning(head + ": matched nothing yet: " + whyUnmatched(hook, loaded));
            }
        }
        installation.hooks.errors().forEach(report::warning);
    }

    private static String whyUnmatched(HookSpec hook, Set<String> loaded) {
        if (hook.scope() == TypeScope.CLASS && !loaded.contains(hook.typeName())) {
            return "class " + hook.typeName() + " is not loaded (it will be hooked if it ever loads)";
        }
        if (hook.scope() == TypeScope.CLASS) {
            return "class " + hook.typeName() + " has no non-abstract method " + hook.methodName() + " with these parameters";
        }
        return "no loaded " + (hook.scope() == TypeScope.SUBCLASSES ? "subclass of " : "implementation of ") + hook.typeName()
                + " has such a method (new ones are hooked when they load)";
    }

    private static void describeSettings(Installation installation, AgentReport report) {
        report.line("limits: " + installation.limits + (installation.directory.pendingLimits().isEmpty() ? ""
                : " (waiting for vCPU(s) " + installation.directory.pendingLimits().keySet() + " to appear)"));
        report.line("throttle: " + installation.throttle.describe());
        report.line("page counting: " + (installation.counting() ? "on" : "idle")
                + (installation.countAlways() ? " (counting=always)"
                : installation.counting() ? "" : " (per-page hooks return at once until a limit, a calc or a watched migration needs counts)"));
        report.line("migration: " + installation.governor.describe());
        report.line("vCPUs seen: " + Arrays.toString(installation.directory.registered()));
        describeFaults(installation, report);
    }

    private static void describeFaults(Installation installation, AgentReport report) {
        List<String> faults = installation.dispatcher.faults().describe();
        if (faults.isEmpty()) {
            report.line("suppressed failures: none");
        } else {
            report.line("suppressed failures: " + installation.dispatcher.faults().total());
            faults.forEach(line -> report.line("  " + line));
        }
    }
}
