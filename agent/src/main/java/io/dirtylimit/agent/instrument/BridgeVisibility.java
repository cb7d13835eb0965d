package io.dirtylimit.agent.instrument;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Whether the classes of a class loader can call the bridge: their advice resolves
 * {@code io.dirtylimit.bridge.Bridge} through their own loader, and only a loader that delegates
 * that package to the bootstrap class loader finds the one the agent's handler is installed in.
 * An OSGi framework without boot delegation, a child-first or an isolating loader may not find it
 * (every hooked call would then fail to link) or may find a copy of its own (calls would reach a
 * bridge no agent serves). Such classes are refused, with this class's reason in the report.
 * One answer per loader, remembered weakly.
 */
final class BridgeVisibility {
    private final Class<?> bridge;
    /** Guarded by itself; an empty reason means the loader sees the bridge. */
    private final Map<ClassLoader, String> verdicts = Collections.synchronizedMap(new WeakHashMap<>());

    /** @param bridge the bridge class the agent installs its handler in */
    BridgeVisibility(Class<?> bridge) {
        this.bridge = bridge;
    }

    /**
     * Why classes of {@code loader} cannot be hooked, or null when they can.
     *
     * @param loader a class's defining loader; null (bootstrap) always sees the bridge
     * @return the reason, or null
     */
    String problem(ClassLoader loader) {
        if (loader == null) {
            return null;
        }
        String verdict = verdicts.computeIfAbsent(loader, this::judge);
        return verdict.isEmpty() ? null : verdict;
    }

    private String judge(ClassLoader loader) {
        try {
            Class<?> seen = Class.forName(bridge.getName(), false, loader);
            if (seen == bridge) {
                return "";
            }
            return "its class loader " + describe(loader) + " resolves " + bridge.getName() + " to another copy (from "
                    + describe(seen.getClassLoader()) + "), not the agent's bootstrap bridge: hooked calls would reach"
                    + " no agent";
        } catch (ClassNotFoundException | LinkageError e) {
            return "its class loader " + describe(loader) + " cannot see " + bridge.getPackageName() + " (it does not"
                    + " delegate that package to the bootstrap class loader: an OSGi framework without boot delegation,"
                    + " a child-first or isolating loader), so hooked code could not call the agent";
        } catch (RuntimeException e) {
            return "asking its class loader " + describe(loader) + " for " + bridge.getName() + " failed: " + e;
        }
    }

    static String describe(ClassLoader loader) {
        if (loader == null) {
            return "bootstrap";
        }
        String name = Optional.ofNullable(loader.getName()).map(n -> " '" + n + "'").orElse("");
        return loader.getClass().getName() + name;
    }
}
