package io.dirtylimit.agent;

import java.util.Locale;

/**
 * The agent's state in one JVM, published in the system property {@value #PROPERTY} so that the
 * command-line tool can read it through the Attach API without loading anything there. Internal.
 */
public enum AgentState {
    /** Installed: hooks in place, the limiter running. */
    ACTIVE,
    /** It was installed and has been detached (the bridge stays, with a no-op handler). */
    DETACHED;

    /** The system property holding {@link #keyword()}; unset where the agent never ran. */
    public static final String PROPERTY = "io.dirtylimit.agent.state";
    /** The system property holding the installed profile's origin. */
    public static final String PROFILE_PROPERTY = "io.dirtylimit.agent.profile";
    /** The system property holding the agent's version. */
    public static final String VERSION_PROPERTY = "io.dirtylimit.agent.version";

    /**
     * How the state is written: {@code active}, {@code detached}.
     *
     * @return the keyword
     */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The state a property value names.
     *
     * @param value the property's value, possibly null
     * @return the state, or null (never loaded, or an unknown value)
     */
    public static AgentState of(String value) {
        for (AgentState state : values()) {
            if (state.keyword().equals(value)) {
                return state;
            }
        }
        return null;
    }

    /** Publishes this state in this JVM. */
    void publish() {
        System.setProperty(PROPERTY, keyword());
    }

    /**
     * The state in this JVM.
     *
     * @return the state, or null where the agent never ran
     */
    static AgentState current() {
        return of(System.getProperty(PROPERTY));
    }
}
