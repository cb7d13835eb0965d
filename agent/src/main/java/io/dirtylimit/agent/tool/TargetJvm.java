package io.dirtylimit.agent.tool;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.dirtylimit.agent.AgentState;
import io.dirtylimit.agent.control.DirtyLimitMXBean;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The agent's MXBean in another local JVM, reached through the Attach API and that JVM's local
 * management agent ({@code startLocalManagementAgent}): a connector only the same OS user can
 * open, no network port. Errors become {@link ToolFailure}s with the agent's own message.
 */
final class TargetJvm implements AutoCloseable {
    /** How long the tool waits for the agent to register its MXBean once the management agent runs. */
    static final long REGISTRATION_WAIT_MILLIS = 10_000;

    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final ObjectName name;

    private TargetJvm(long pid, JMXConnector connector, ObjectName name) throws IOException {
        this.pid = pid;
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
        this.name = name;
    }

    /** Connects to the agent in {@code pid}; fails when the process, the JVM or the agent is not there. */
    static TargetJvm connect(long pid) throws ToolFailure {
        AttachDiagnosis.checkReachable(pid);
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw AttachDiagnosis.attachFailed(pid, e);
        }
        String address;
        try {
            checkAgentLoaded(pid, AgentState.of(vm.getSystemProperties().getProperty(AgentState.PROPERTY)));
            address = vm.startLocalManagementAgent();
        } catch (IOException e) {
            throw lost(pid, e);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the address is all we needed
            }
        }
        try {
            TargetJvm target = new TargetJvm(pid, JMXConnectorFactory.connect(new JMXServiceURL(address)),
                    new ObjectName(DirtyLimitMXBean.OBJECT_NAME));
            target.awaitRegistration();
            return target;
        } catch (IOException | JMException e) {
            throw lost(pid, e);
        }
    }

    private static void checkAgentLoaded(long pid, AgentState state) throws ToolFailure {
        if (state == AgentState.ACTIVE) {
            return;
        }
        String how = "java -jar dirtylimit-agent.jar attach " + pid + " profile=NAME";
        throw new ToolFailure(Cli.AGENT_NOT_LOADED, state == AgentState.DETACHED
                ? "the dirtylimit agent was detached from process " + pid + "; load it again with: " + how
                : "the dirtylimit agent is not loaded in process " + pid + "; load it with: " + how
                + " (or start the emulator with -javaagent:dirtylimit-agent.jar=profile=NAME)");
    }

    /** The agent registers its MXBean a moment after the management agent created the MBean server. */
    private void awaitRegistration() throws IOException, ToolFailure {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTRATION_WAIT_MILLIS);
        while (!server.isRegistered(name)) {
            if (System.nanoTime() > deadline) {
                close();
                throw new ToolFailure(Cli.NO_REPORT, "the agent in process " + pid + " did not register its MXBean "
                        + DirtyLimitMXBean.OBJECT_NAME + " within " + REGISTRATION_WAIT_MILLIS / 1000 + " s; look at that process's stderr");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolFailure(Cli.NO_REPORT, "interrupted while waiting for the agent in process " + pid);
            }
        }
    }

    long pid() {
        return pid;
    }

    /** Calls operation {@code operation} with the given JMX signature. */
    Object invoke(String operation, Object[] args, String[] signature) throws ToolFailure {
        try {
            return server.invoke(name, operation, args, signature);
        } catch (IOException | JMException | RuntimeException e) {
            throw translate(e);
        }
    }

    Object get(String attribute) throws ToolFailure {
        try {
            return server.getAttribute(name, attribute);
        } catch (IOException | JMException | RuntimeException e) {
            throw translate(e);
        }
    }

    void set(String attribute, Object value) throws ToolFailure {
        try {
            server.setAttribute(name, new Attribute(attribute, value));
        } catch (IOException | JMException | RuntimeException e) {
            throw translate(e);
        }
    }

    /** The agent's refusals (the core's IllegalArgumentException, or not active) keep their message. */
    private ToolFailure translate(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
                return new ToolFailure(Cli.AGENT_ERROR, cause.getMessage());
            }
        }
        return lost(pid, e);
    }

    private static ToolFailure lost(long pid, Exception e) {
        return new ToolFailure(Cli.CONNECTION_FAILED, "lost the connection to process " + pid + ": " + e);
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException ignored) {
            // the process may be gone; nothing to tell
        }
    }
}
