package io.dirtylimit.agent.tool;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.dirtylimit.agent.AgentState;
import io.dirtylimit.agent.control.ControlServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * The agent in another local JVM, reached through its control socket ({@link ControlServer}): a
 * Unix-domain socket in a directory only the JVM's OS user may enter, whose path the tool reads
 * through the Attach API. No network port is opened anywhere (the JDK's local JMX connector, used
 * before, listens on a TCP port). Answers come back as the MXBean's open types, so the commands
 * and their formats are those of a JMX client. Errors become {@link ToolFailure}s with the agent's
 * own message.
 */
final class TargetJvm implements AutoCloseable {
    private static final String[] ROW_ITEMS = {"cpuIndex", "enabled", "limitRate", "currentRate", "sleepNanosPerThrottlePoint",
        "throttlePoints", "setBy", "pending", "unit", "unitClass", "unitIdentityHash"};
    private static final CompositeType ROW = type("VcpuDirtyLimit", ROW_ITEMS,
            new OpenType<?>[] {SimpleType.INTEGER, SimpleType.BOOLEAN, SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.LONG,
                SimpleType.LONG, SimpleType.STRING, SimpleType.BOOLEAN, SimpleType.STRING, SimpleType.STRING, SimpleType.INTEGER});
    private static final String[] RATE_ITEMS = {"cpuIndex", "dirtyRate", "unit", "unitClass", "unitIdentityHash"};
    private static final CompositeType RATE = type("VcpuRate", RATE_ITEMS,
            new OpenType<?>[] {SimpleType.INTEGER, SimpleType.DOUBLE, SimpleType.STRING, SimpleType.STRING, SimpleType.INTEGER});
    private static final CompositeType CALC = type("DirtyRate", new String[] {"seconds", "vcpuRates", "totalRate"},
            new OpenType<?>[] {SimpleType.DOUBLE, arrayOf(RATE), SimpleType.DOUBLE});
    /** Attributes that are numbers, booleans or lists, by their MXBean type. */
    private static final List<String> LONGS = List.of("SuppressedErrors");
    private static final List<String> INTS = List.of("QuantumPages");
    private static final List<String> BOOLEANS = List.of("Guarded", "Active", "MigrationRunning");
    private static final List<String> LISTS = List.of("HooksMatched", "HooksUnmatched");

    private final long pid;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final Writer out;

    private TargetJvm(long pid, SocketChannel channel) {
        this.pid = pid;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8);
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
        String socket;
        try {
            Properties properties = vm.getSystemProperties();
            checkAgentLoaded(pid, AgentState.of(properties.getProperty(AgentState.PROPERTY)));
            socket = properties.getProperty(ControlServer.PROPERTY);
        } catch (IOException e) {
            throw lost(pid, e);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the properties are all we needed
            }
        }
        if (socket == null || socket.isEmpty()) {
            throw new ToolFailure(Cli.NO_REPORT, "the agent in process " + pid + " has no control socket (an agent older than"
                    + " this tool, or it could not open one: look at that process's stderr); JMX clients can still reach it");
        }
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(Path.of(socket)));
            return new TargetJvm(pid, channel);
        } catch (IOException | RuntimeException e) {
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

    long pid() {
        return pid;
    }

    /** Calls MXBean operation {@code operation} with {@code args}; the answer as the MXBean's open types. */
    Object invoke(String operation, Object[] args, String[] signature) throws ToolFailure {
        List<String> request = new ArrayList<>(List.of(operation));
        for (Object arg : args) {
            request.add(String.valueOf(arg));
        }
        List<String> lines = request(request);
        try {
            return switch (operation) {
                case "queryVcpuDirtyLimit" -> rows(lines);
                case "calcDirtyRate" -> calc(lines);
                case "discover" -> lines.toArray(new String[0]);
                default -> null;
            };
        } catch (OpenDataException | RuntimeException e) {
            throw lost(pid, new IOException("unreadable answer to " + operation + ": " + lines, e));
        }
    }

    Object get(String attribute) throws ToolFailure {
        List<String> lines = request(List.of("get", attribute));
        try {
            if (LISTS.contains(attribute)) {
                return lines.toArray(String[]::new);
            }
            String value = lines.get(0);
            if (attribute.equals("Vcpus")) {
                return value.isBlank() ? new int[0] : java.util.Arrays.stream(value.split(" ")).mapToInt(Integer::parseInt).toArray();
            }
            if (LONGS.contains(attribute)) {
                return Long.parseLong(value);
            }
            if (INTS.contains(attribute)) {
                return Integer.parseInt(value);
            }
            if (BOOLEANS.contains(attribute)) {
                return Boolean.parseBoolean(value);
            }
            return value;
        } catch (RuntimeException e) {
            throw lost(pid, new IOException("unreadable value of " + attribute + ": " + lines, e));
        }
    }

    void set(String attribute, Object value) throws ToolFailure {
        request(List.of("set", attribute, String.valueOf(value)));
    }

    /** One request; the value lines of an {@code ok} answer. */
    private List<String> request(List<String> words) throws ToolFailure {
        try {
            out.write(String.join("\t", words) + "\n");
            out.flush();
            String head = in.readLine();
            if (head == null) {
                throw new IOException("the agent closed the connection (detached meanwhile?)");
            }
            if (head.startsWith("refused ")) {
                throw new ToolFailure(Cli.AGENT_ERROR, head.substring("refused ".length()));
            }
            if (!head.startsWith("ok ")) {
                throw new IOException("the agent answered " + head);
            }
            List<String> lines = new ArrayList<>();
            for (int n = Integer.parseInt(head.substring(3).trim()); n > 0; n--) {
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("the answer ended early");
                }
                lines.add(line);
            }
            return lines;
        } catch (IOException | NumberFormatException e) {
            throw lost(pid, e);
        }
    }

    private static CompositeData[] rows(List<String> lines) throws OpenDataException {
        CompositeData[] rows = new CompositeData[lines.size()];
        for (int i = 0; i < rows.length; i++) {
            String[] f = lines.get(i).split(" ");
            rows[i] = new CompositeDataSupport(ROW, ROW_ITEMS, new Object[] {
                Integer.parseInt(f[0]), Boolean.parseBoolean(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]), f[6].equals("-") ? "" : f[6], Boolean.parseBoolean(f[7]),
                ControlServer.text(f[8]), ControlServer.text(f[9]), Integer.parseInt(f[10])});
        }
        return rows;
    }

    private static CompositeData calc(List<String> lines) throws OpenDataException {
        String[] head = lines.get(0).split(" ");
        CompositeData[] rates = new CompositeData[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(" ");
            rates[i - 1] = new CompositeDataSupport(RATE, RATE_ITEMS, new Object[] {Integer.parseInt(f[0]), Double.parseDouble(f[1]),
                ControlServer.text(f[2]), ControlServer.text(f[3]), Integer.parseInt(f[4])});
        }
        return new CompositeDataSupport(CALC, new String[] {"seconds", "vcpuRates", "totalRate"},
                new Object[] {Double.parseDouble(head[0]), rates, Double.parseDouble(head[1])});
    }

    private static CompositeType type(String name, String[] items, OpenType<?>[] types) {
        try {
            return new CompositeType(name, name, items, items, types);
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayType<CompositeData[]> arrayOf(CompositeType type) {
        try {
            return ArrayType.getArrayType(type);
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ToolFailure lost(long pid, Exception e) {
        return new ToolFailure(Cli.CONNECTION_FAILED, "lost the connection to process " + pid + ": " + e);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the process may be gone
        }
    }
}
