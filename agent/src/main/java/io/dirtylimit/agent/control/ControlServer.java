package io.dirtylimit.agent.control;

import io.dirtylimit.agent.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The command-line tool's way in: a Unix-domain socket, never a network port. The JDK's local JMX
 * connector, which the tool used before, listens on a TCP port of every interface (it only refuses
 * non-local peers after accepting them); this socket lives in a directory only the emulator's OS
 * user may enter ({@code rwx------} in the temporary directory), as the Attach API's own socket
 * does, and its path is published in the system property {@value #PROPERTY}, which the tool reads
 * through the Attach API. It exists while the agent is attached: {@link #stop} (detach) closes it,
 * removes it, and its threads end; the JVM's exit removes it too ({@link ControlDirectory}).
 *
 * <p>Protocol, one UTF-8 line per request, fields separated by tabs: an MXBean operation
 * ({@code setVcpuDirtyLimit CPU RATE}, {@code limitAllVcpus RATE}, {@code cancelVcpuDirtyLimit CPU},
 * {@code cancelAllVcpuDirtyLimit}, {@code queryVcpuDirtyLimit}, {@code calcDirtyRate SECONDS},
 * {@code discover OPTIONS}, answered with the discover's data lines when its window has passed),
 * {@code get ATTRIBUTE} or {@code set ATTRIBUTE VALUE} (the MXBean's attributes). The answer is
 * {@code ok N} and N lines of value, or {@code refused MESSAGE} (what the MXBean refuses with an
 * IllegalArgumentException or IllegalStateException), or {@code error MESSAGE}. A query row is
 * {@code CPU ENABLED LIMIT CURRENT SLEEP_NS POINTS SET_BY PENDING UNIT UNIT_CLASS UNIT_HASH} (SET_BY
 * and the unit's words {@code -} for none, words escaped by {@link #word}); a calc answer is
 * {@code SECONDS TOTAL} and a {@code CPU RATE UNIT UNIT_CLASS UNIT_HASH} line per vCPU; numbers are exact.
 * The MXBean itself stays registered for JMX clients (jconsole, Mission Control).
 */
public final class ControlServer {
    /** The system property holding the socket's path while the agent is attached. */
    public static final String PROPERTY = "io.dirtylimit.agent.control";

    /** Guarded by ControlServer.class. */
    private static ControlServer running;

    private final DirtyLimitMXBean control;
    private final Path directory;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();

    private ControlServer(DirtyLimitMXBean control, Path parent) throws IOException {
        this.control = control;
        this.directory = ControlDirectory.create(parent);
        this.socket = directory.resolve(ControlDirectory.SOCKET);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            server.close();
            ControlDirectory.remove(directory);
            throw e;
        }
        this.acceptor = new Thread(this::accept, "dirtylimit-control");
        acceptor.setDaemon(true);
    }

    /**
     * Opens the socket (once while attached) and publishes its path.
     *
     * @param current the installation current at each request, null while detached
     * @param version the agent's version
     * @return for the report: the socket, or why it could not be opened (the MXBean still works)
     */
    public static synchronized String start(Supplier<Controlled> current, String version) {
        if (running == null) {
            try {
                running = open(new DirtyLimitControl(current, version));
                running.acceptor.start();
                ControlDirectory.removeAtExit(running.directory);
                System.setProperty(PROPERTY, running.socket.toString());
            } catch (IOException | RuntimeException e) {
                running = null;
                Log.warn("cannot open the control socket (the tool cannot reach the agent; JMX clients still can): " + e);
                return "no control socket: " + e;
            }
        }
        return "Unix-domain socket " + running.socket + " (only this OS user can open it; no network port)";
    }

    /** Closes the socket (detach): the accepting thread ends, so do connections once their request is answered. */
    public static synchronized void stop() {
        ControlServer server = running;
        running = null;
        System.clearProperty(PROPERTY);
        if (server != null) {
            server.close();
        }
    }

    /** In the temporary directory, else in /tmp (a socket's path is limited to about 100 bytes). */
    private static ControlServer open(DirtyLimitMXBean control) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            return new ControlServer(control, tmp);
        } catch (IOException | RuntimeException e) {
            Path fallback = Path.of("/tmp");
            if (!Files.isDirectory(fallback) || fallback.equals(tmp.toAbsolutePath())) {
                throw e;
            }
            return new ControlServer(control, fallback);
        }
    }

    private void accept() {
        removeStaleDirectories();
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread worker = new Thread(() -> serve(client), "dirtylimit-control-" + connections.incrementAndGet());
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                if (server.isOpen()) {
                    Log.warn("control socket: " + e);
                }
            }
        }
    }

    /** On the accepting thread, off the emulator's start-up or attach. */
    private void removeStaleDirectories() {
        int stale = ControlDirectory.removeStale(directory.getParent(), directory);
        if (stale > 0) {
            Log.info("removed " + stale + " control socket director" + (stale == 1 ? "y" : "ies") + " of JVMs that are gone");
        }
    }

    private void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        ControlDirectory.remove(directory);
    }

    private void serve(SocketChannel client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(Channels.newOutputStream(client), StandardCharsets.UTF_8)) {
            String request;
            while ((request = in.readLine()) != null) {
                out.write(answer(request.split("\t", -1)));
                out.flush();
            }
        } catch (IOException e) {
            Log.debug("control connection: " + e);
        }
    }

    /** The answer to one request, with its line breaks. */
    String answer(String[] request) {
        try {
            List<String> lines = execute(request);
            StringBuilder text = new StringBuilder("ok " + lines.size() + "\n");
            lines.forEach(line -> text.append(oneLine(line)).append('\n'));
            return text.toString();
        } catch (IllegalArgumentException | IllegalStateException refused) {
            return "refused " + oneLine(String.valueOf(refused.getMessage())) + "\n";
        } catch (RuntimeException | Error | ReflectiveOperationException failure) {
            Throwable cause = failure instanceof InvocationTargetException target ? target.getCause() : failure;
            if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
                return "refused " + oneLine(String.valueOf(cause.getMessage())) + "\n";
            }
            return "error " + oneLine(String.valueOf(cause)) + "\n";
        }
    }

    private List<String> execute(String[] request) throws ReflectiveOperationException {
        String op = request[0];
        switch (op) {
            case "setVcpuDirtyLimit" -> control.setVcpuDirtyLimit(integer(request, 1), number(request, 2));
            case "limitAllVcpus" -> control.limitAllVcpus(number(request, 1));
            case "cancelVcpuDirtyLimit" -> control.cancelVcpuDirtyLimit(integer(request, 1));
            case "cancelAllVcpuDirtyLimit" -> control.cancelAllVcpuDirtyLimit();
            case "queryVcpuDirtyLimit" -> {
                return rows(control.queryVcpuDirtyLimit());
            }
            case "calcDirtyRate" -> {
                return rates(control.calcDirtyRate(number(request, 1)));
            }
            case "get" -> {
                return value(getter(word(request, 1)).invoke(control));
            }
            case "set" -> setter(word(request, 1)).invoke(control, word(request, 2));
            case "discover" -> {
                return control.discover(word(request, 1));
            }
            default -> throw new IllegalArgumentException("unknown request '" + op + "'");
        }
        return List.of();
    }

    private static List<String> rows(List<DirtyLimitMXBean.VcpuDirtyLimit> rows) {
        List<String> lines = new ArrayList<>();
        for (DirtyLimitMXBean.VcpuDirtyLimit row : rows) {
            lines.add(row.getCpuIndex() + " " + row.isEnabled() + " " + row.getLimitRate() + " " + row.getCurrentRate() + " "
                    + row.getSleepNanosPerThrottlePoint() + " " + row.getThrottlePoints() + " "
                    + (row.getSetBy().isEmpty() ? "-" : row.getSetBy()) + " " + row.isPending() + " " + word(row.getUnit()) + " "
                    + word(row.getUnitClass()) + " " + row.getUnitIdentityHash());
        }
        return lines;
    }

    /**
     * {@code text} as one word of an answer line: {@code -} when empty, else with {@code %}, {@code -}
     * at its start, blanks and control characters written {@code %XX} (a unit names a thread, whose
     * name may hold anything).
     *
     * @param text the text
     * @return the word
     */
    public static String word(String text) {
        if (text.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c <= ' ' || c == 0x7f || (i == 0 && c == '-')) {
                out.append(String.format(Locale.ROOT, "%%%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The text a {@link #word} stands for.
     *
     * @param word the word
     * @return the text
     */
    public static String text(String word) {
        if (word.equals("-")) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '%' && i + 2 < word.length()) {
                out.append((char) Integer.parseInt(word.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<String> rates(DirtyLimitMXBean.DirtyRate rate) {
        List<String> lines = new ArrayList<>(List.of(rate.getSeconds() + " " + rate.getTotalRate()));
        rate.getVcpuRates().forEach(r -> lines.add(r.getCpuIndex() + " " + r.getDirtyRate() + " " + word(r.getUnit()) + " "
                + word(r.getUnitClass()) + " " + r.getUnitIdentityHash()));
        return lines;
    }

    private static List<String> value(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value instanceof int[] ints) {
            List<String> words = new ArrayList<>();
            for (int i : ints) {
                words.add(Integer.toString(i));
            }
            return List.of(String.join(" ", words));
        }
        return List.of(String.valueOf(value));
    }

    private static Method getter(String attribute) {
        for (String prefix : List.of("get", "is")) {
            try {
                return DirtyLimitMXBean.class.getMethod(prefix + attribute);
            } catch (NoSuchMethodException e) {
                // try the other prefix
            }
        }
        throw new IllegalArgumentException("no attribute '" + attribute + "'");
    }

    private static Method setter(String attribute) {
        try {
            return DirtyLimitMXBean.class.getMethod("set" + attribute, String.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("no writable attribute '" + attribute + "'");
        }
    }

    private static String word(String[] request, int at) {
        if (at >= request.length) {
            throw new IllegalArgumentException(request[0] + " needs " + at + " argument(s)");
        }
        return request[at];
    }

    private static int integer(String[] request, int at) {
        try {
            return Integer.parseInt(word(request, at));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + request[at] + "' is not a vCPU index");
        }
    }

    private static double number(String[] request, int at) {
        try {
            return Double.parseDouble(word(request, at));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + request[at] + "' is not a number");
        }
    }

    private static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** For tests and the report: the socket's path while open, else null. */
    static synchronized Path socketPath() {
        return running == null ? null : running.socket;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "control socket %s", socket);
    }
}
