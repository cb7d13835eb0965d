package io.dirtylimit.examples.tenants;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The multi-tenant runtime's entry point:
 * {@code java -cp toyvm.jar io.dirtylimit.examples.tenants.TenantVm [options]}; see {@link #USAGE}.
 *
 * <p>Exit status: 0 after {@code quit} on stdin or {@code --seconds}, 2 for a bad command line.
 */
public final class TenantVm {
    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;
    /** The ground-truth CSV's header; then one line per guest per second. */
    public static final String CSV_HEADER = "t_s,guest,dirty_mbps";

    static final String USAGE = String.join("\n",
            "usage: java -cp toyvm.jar io.dirtylimit.examples.tenants.TenantVm [options]",
            "",
            "A multi-tenant runtime: N guests, each with its own linear memory mapped at guest address 0,",
            "run in time slices of at most 2 ms by a pool of M worker threads named tenant-worker-K; after",
            "every slice a guest moves on to the next worker's queue.",
            "",
            "  --guests N          guests, 1 to 1024 (default 2)",
            "  --threads M         worker threads, 1 to 256 (default 2)",
            "  --rate MBPS|max     each guest's write rate in MB/s (MiB/s), or max for flat out (default max)",
            "  --guest-mem SIZE    each guest's memory: a multiple of 64K up to 3G, K/M/G suffixes (default 64M);",
            "                      addresses are unsigned 32-bit ints, so above 2G they are negative Java ints",
            "  --seconds S         stop after S seconds (default 0: until 'quit' on stdin, or killed)",
            "  --queue due|fifo    how a worker picks its next guest: the one due earliest (default), or in",
            "                      the order they were queued",
            "  --help              this text",
            "",
            "Each guest writes its memory page by page, in order, wrapping: 7 pages in 8 as four",
            "LinearMemory.write(int address, byte[] data, int from, int to) calls of 1 KiB (from = 0; to is an",
            "exclusive end index), every 8th page as one LinearMemory.fill(byte value, int from, int to) of the",
            "whole page (to exclusive). Paced in batches of about 1 ms, no catching up after a stall over 10 ms.",
            "",
            "stdout, once a second: CSV 't_s,guest,dirty_mbps', header first: per guest, the 4 KiB pages first",
            "written since the previous second's harvest, each counted once per guest memory, in MB/s over the",
            "measured period. A guest that rewrites its memory within a second (max, or a rate above its",
            "memory size per second) shows at most its memory size per second. Other stdout lines start",
            "with '# '. stderr: the banner and errors. stdin: 'quit'.");

    private TenantVm() {}

    /** Runs the runtime; exits the JVM with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs until {@code quit} on {@code in} or {@code --seconds}; returns the exit status. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.println(USAGE);
            return EXIT_OK;
        }
        TenantOptions options;
        try {
            options = TenantOptions.parse(args, Runtime.getRuntime().maxMemory());
        } catch (UsageException e) {
            err.println("tenantvm: " + e.getMessage());
            err.println("tenantvm: try --help");
            return EXIT_USAGE;
        }
        TenantRuntime runtime = new TenantRuntime(options, csv(out), err);
        printBanner(options, err);
        out.println(CSV_HEADER);
        out.flush();
        runtime.start();
        readCommands(in, out, runtime);
        try {
            runtime.awaitQuit();
            runtime.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.println("tenantvm: quit");
        return EXIT_OK;
    }

    /** Each second's lines, printed as one block. */
    static Harvester.Sink csv(PrintStream out) {
        return (second, samples) -> {
            StringBuilder lines = new StringBuilder();
            for (Harvester.Sample s : samples) {
                lines.append(String.format(Locale.ROOT, "%d,%d,%.1f", second, s.guest(), s.dirtyMbps())).append(System.lineSeparator());
            }
            synchronized (out) {
                out.print(lines);
                out.flush();
            }
        };
    }

    private static void printBanner(TenantOptions o, PrintStream err) {
        err.printf(Locale.ROOT, "tenantvm: %d guest(s) of %s each, all at guest address 0, on %d worker thread(s)%s, rate %s per guest%n",
                o.guests(), TenantOptions.formatSize(o.guestMem()), o.threads(), o.order() == WorkerPool.Order.FIFO ? " (FIFO queues)" : "",
                TenantOptions.formatRate(o.rateMbps()));
        if (o.flatOut() || o.rateMbps() * (1 << 20) > o.guestMem()) {
            err.printf(Locale.ROOT, "tenantvm: note: each guest rewrites its %s more than once a second, and the ground truth counts"
                    + " a page once a second: it shows at most %.1f MB/s per guest%n",
                    TenantOptions.formatSize(o.guestMem()), o.guestMem() / (double) (1 << 20));
        }
        err.flush();
    }

    /** Reads stdin on a daemon thread: 'quit' quits; the end of input does not. */
    private static void readCommands(InputStream in, PrintStream out, TenantRuntime runtime) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    String command = line.trim();
                    if (command.equals("quit")) {
                        runtime.requestQuit();
                        return;
                    }
                    if (!command.isEmpty()) {
                        synchronized (out) {
                            out.println("# error: unknown command '" + command + "' (the only command is quit)");
                            out.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // stdin gone: run on until --seconds or killed
            }
        }, "tenant-stdin");
        t.setDaemon(true);
        t.start();
    }
}
