package io.dirtylimit.agent.discover;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code discover} in the emulator's JVM: one at a time. It comes either through the Attach API
 * ({@link #agentmain}: the probes are installed before it returns, the counting and the removal run
 * on a daemon thread, which writes the result file) or, when the agent is active, through the
 * MXBean ({@link #runBlocking}: the caller waits). While one runs, a second one and an
 * {@code attach} are refused with {@link #running()}'s message. Nothing here ever throws into the
 * emulator: failures are reported to the tool.
 *
 * <p>This class must not refer to the probe classes, nor link anything that does, before
 * {@link ProbeInjector} has put them on the bootstrap class loader: {@link DiscoverSession} is only
 * touched after that.
 */
public final class Discovery {
    /** The report's last line when the probes were installed. */
    public static final String STARTED = "result: ok";
    /** A result file's first line when the discover failed as a whole (else the data's own first line). */
    public static final String FAILED = "error: ";

    /** The system property that says {@code running} while a discover runs in this JVM (the tool reads it). */
    public static final String STATE_PROPERTY = "io.dirtylimit.discover.state";
    /** Its value while one runs. */
    public static final String RUNNING_STATE = "running";

    /** The running discover's end, as System.nanoTime(), and its start; null when none runs. */
    private static final AtomicReference<long[]> RUNNING = new AtomicReference<>();
    private static volatile Instrumentation instrumentationVolatile;

    private Discovery() {}

    /**
     * Keeps the agent's Instrumentation for a discover that comes through the MXBean.
     *
     * @param inst the latest Instrumentation the JVM gave the agent
     */
    public static void remember(Instrumentation inst) {
        instrumentationVolatile = inst;
    }

    /**
     * Why something that conflicts with a running discover must wait, or null when none runs.
     *
     * @return e.g. "a discover is running in this process (about 2 s left)"
     */
    public static String running() {
        long[] window = RUNNING.get();
        if (window == null) {
            return null;
        }
        long left = Math.max(0, Math.round((window[1] - System.nanoTime()) / 1e9));
        return "a discover is running in this process (about " + left + " s left); try again when it has finished";
    }

    /**
     * The Attach API entry ({@code agentmain} with {@code discover,...}): installs the probes, writes
     * the start report to {@code report=}, and leaves the counting, the removal and the result file
     * ({@code result=}) to a daemon thread. Never throws.
     *
     * @param arguments {@code discover,...,report=FILE,result=FILE}
     * @param inst the JVM's instrumentation
     */
    public static void agentmain(String arguments, Instrumentation inst) {
        List<String> report = new ArrayList<>();
        Path reportFile = null;
        try {
            DiscoverOptions options = DiscoverOptions.parse(arguments);
            reportFile = options.report();
            if (options.result() == null) {
                throw new IllegalArgumentException("discover through the Attach API needs result=FILE");
            }
            DiscoverSession session = begin(options, inst, report);
            Thread counting = new Thread(() -> finishInBackground(session, options.result()), "dirtylimit-discover");
            counting.setDaemon(true);
            counting.start();
            report.add(STARTED);
        } catch (Throwable failure) {
            report.add("error: " + message(failure));
            if (reportFile == null) {
                reportFile = reportFileOf(arguments);
            }
        }
        write(reportFile, report);
    }

    /**
     * The MXBean's entry: runs a whole discover and returns its data ({@link DiscoverData#lines()}).
     *
     * @param arguments {@code discover,seconds=...,package=...}
     * @return the data's lines
     * @throws IllegalArgumentException for bad options
     * @throws IllegalStateException when a discover runs already, or the probes cannot be installed
     */
    public static List<String> runBlocking(String arguments) {
        DiscoverOptions options = DiscoverOptions.parse(arguments);
        Instrumentation inst = instrumentationVolatile;
        if (inst == null) {
            throw new IllegalStateException("the agent has no Instrumentation to probe with");
        }
        DiscoverSession session;
        try {
            session = begin(options, inst, new ArrayList<>());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new IllegalStateException(message(e));
        }
        try {
            return session.finish().lines();
        } finally {
            end();
        }
    }

    /** Claims the one discover slot, injects the probe, installs the probes; releases the slot on failure. */
    private static DiscoverSession begin(DiscoverOptions options, Instrumentation inst, List<String> report) throws IOException {
        long now = System.nanoTime();
        if (!RUNNING.compareAndSet(null, new long[] {now, now + Math.round(options.seconds() * 1e9)})) {
            throw new IllegalStateException(running());
        }
        System.setProperty(STATE_PROPERTY, RUNNING_STATE);
        try {
            ProbeInjector.ensureInBootstrap(inst);
            DiscoverSession session = new DiscoverSession(options, inst);
            report.addAll(session.start());
            return session;
        } catch (IOException | RuntimeException | Error e) {
            end();
            throw e;
        }
    }

    private static void end() {
        System.setProperty(STATE_PROPERTY, "done");
        RUNNING.set(null);
    }

    private static void finishInBackground(DiscoverSession session, Path result) {
        List<String> lines;
        try {
            lines = session.finish().lines();
        } catch (Throwable failure) {
            lines = List.of(FAILED + message(failure));
        } finally {
            end();
        }
        write(result, lines);
    }

    /** Writes {@code lines} to a temporary file next to {@code file}, then moves it there, so a reader never sees half. */
    private static void write(Path file, List<String> lines) {
        if (file == null) {
            System.err.println("dirtylimit: discover: " + String.join("; ", lines));
            return;
        }
        try {
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.write(partial, lines, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            System.err.println("dirtylimit: discover: cannot write " + file + ": " + e);
        }
    }

    private static Path reportFileOf(String arguments) {
        if (arguments == null) {
            return null;
        }
        for (String pair : arguments.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.startsWith("report=") && trimmed.length() > "report=".length()) {
                try {
                    return Path.of(trimmed.substring("report=".length()));
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String message(Throwable failure) {
        if (failure instanceof IllegalArgumentException || failure instanceof IllegalStateException) {
            return failure.getMessage();
        }
        return String.format(Locale.ROOT, "discover failed: %s", failure);
    }
}
