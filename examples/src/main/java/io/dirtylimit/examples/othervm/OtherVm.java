package io.dirtylimit.examples.othervm;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "other VM" emulator's main: N CPUs sweeping their share of RAM at a target rate, and once a
 * second, per CPU, the ground-truth dirty rate (pages first written since the previous second's
 * harvest) as CSV on stdout: {@code t_s,cpu,dirty_mbps,stores_per_s}.
 *
 * <pre>
 * java -cp examples/target/toyvm.jar io.dirtylimit.examples.othervm.OtherVm
 *      [--cpus N] [--instances I] [--rate MBPS|max] [--ram-mb MB] [--block BYTES] [--seconds S]
 * </pre>
 *
 * With {@code --instances I}, I machines run in this JVM, each with its own RAM and buses at the
 * same guest addresses; their CPUs are numbered across instances (instance k has CPUs
 * {@code k*N} to {@code k*N+N-1}, threads {@code cpu#K worker}), and CPU n of every instance
 * sweeps the same guest address range in its own RAM.
 *
 * Runs for S seconds, or until stdin says {@code quit} or closes when S is 0 (the default).
 */
public final class OtherVm {
    static final String USAGE = "usage: OtherVm [--cpus N] [--instances I] [--rate MBPS|max] [--ram-mb MB] [--block BYTES] [--seconds S]";

    private int cpus = 2;
    private int instances = 1;
    private double rateMbps = 100;
    private int ramMb = 256;
    private int block = 256;
    private int seconds;
    private volatile boolean quit;

    /** One machine: its RAM, the bus in front of it, and its CPUs. */
    private record Instance(RamBus ram, SystemBus bus, List<Cpu> cpus) {}

    private OtherVm() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the emulator; returns the exit status (0, or 2 for a bad command line). */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        OtherVm vm = new OtherVm();
        try {
            vm.parse(args);
            vm.checkHeap(Runtime.getRuntime().maxMemory());
        } catch (IllegalArgumentException e) {
            err.println("othervm: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            vm.run(in, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--cpus" -> cpus = positive(value, "--cpus");
                case "--instances" -> instances = positive(value, "--instances");
                case "--rate" -> rateMbps = value.equals("max") ? Double.POSITIVE_INFINITY : number(value, "--rate");
                case "--ram-mb" -> ramMb = positive(value, "--ram-mb");
                case "--block" -> block = positive(value, "--block");
                case "--seconds" -> seconds = (int) number(value, "--seconds");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (!(rateMbps > 0) || block > RamBus.PAGE_SIZE) {
            throw new IllegalArgumentException("--rate must be above 0 and --block at most " + RamBus.PAGE_SIZE);
        }
        if (ramMb > 2047 || (long) cpus * RamBus.PAGE_SIZE > ((long) ramMb << 20)) {
            throw new IllegalArgumentException("--ram-mb must be below 2048 and give every cpu a page at least");
        }
    }

    private void checkHeap(long maxHeapBytes) {
        long total = (long) instances * ramMb << 20;
        if (total > maxHeapBytes - (maxHeapBytes >> 3)) {
            throw new IllegalArgumentException("--instances " + instances + " x --ram-mb " + ramMb + " do not fit in this JVM's heap (max "
                    + (maxHeapBytes >> 20) + " MiB); run java with a larger -Xmx");
        }
    }

    private static int positive(String value, String option) {
        double n = number(value, option);
        if (n <= 0 || n != Math.rint(n) || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be a positive whole number (got " + value + ")");
        }
        return (int) n;
    }

    private static double number(String value, String option) {
        try {
            double n = Double.parseDouble(value);
            if (Double.isNaN(n) || n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": malformed number '" + value + "'");
        }
    }

    private void run(InputStream in, PrintStream out, PrintStream err) throws InterruptedException {
        long region = Long.highestOneBit(((long) ramMb << 20) / cpus);
        double pagesPerSecond = rateMbps * (1 << 20) / RamBus.PAGE_SIZE;
        List<Instance> all = new ArrayList<>();
        for (int k = 0; k < instances; k++) {
            RamBus ram = new RamBus(ramMb << 20);
            SystemBus bus = new SystemBus(ram);
            List<Cpu> mine = new ArrayList<>();
            for (int n = 0; n < cpus; n++) {
                mine.add(new Cpu(k * cpus + n, bus, Program.sweep(n * region, region, block), pagesPerSecond, block));
            }
            all.add(new Instance(ram, bus, List.copyOf(mine)));
        }
        List<Cpu> allCpus = all.stream().flatMap(i -> i.cpus().stream()).toList();
        err.printf(Locale.ROOT, "othervm: %d instance(s) of %d cpus, %d MiB RAM each at guest address 0, %d KiB per cpu, target %s MB/s each%n",
                instances, cpus, ramMb, region >> 10, Double.isFinite(rateMbps) ? String.valueOf(rateMbps) : "max");
        if (instances > 1) {
            err.printf(Locale.ROOT, "othervm: instance k has cpus k*%d to k*%d+%d; cpu n of every instance sweeps the same addresses%n",
                    cpus, cpus, cpus - 1);
        }
        err.flush();
        allCpus.forEach(Cpu::start);
        Thread input = watchStdin(in);
        printStats(out, all, allCpus);
        allCpus.forEach(Cpu::stop);
        input.interrupt();
        for (int k = 0; k < all.size(); k++) {
            err.printf(Locale.ROOT, "othervm: instance %d done, doorbell rings %d, RAM checksum %x%n", k, all.get(k).bus().doorbellRings(),
                    all.get(k).ram().checksum());
        }
        err.flush();
    }

    private Thread watchStdin(InputStream stdin) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.trim().equals("quit")) {
                        break;
                    }
                }
            } catch (Exception ignored) {
                // stdin gone: same as quit
            }
            if (seconds == 0) {
                quit = true;
            }
        }, "othervm-stdin");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void printStats(PrintStream out, List<Instance> instances, List<Cpu> all) throws InterruptedException {
        out.println("t_s,cpu,dirty_mbps,stores_per_s");
        long[] lastPages = new long[all.size()];
        long[] lastStores = new long[all.size()];
        long start = System.nanoTime();
        long previous = start;
        for (int t = 1; !quit && (seconds == 0 || t <= seconds); t++) {
            long due = start + t * 1_000_000_000L;
            while (!quit && System.nanoTime() < due) {
                Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000));
            }
            long now = System.nanoTime();
            double elapsed = (now - previous) / 1e9;
            previous = now;
            instances.forEach(i -> i.ram().harvest());
            StringBuilder lines = new StringBuilder();
            for (int n = 0; n < all.size(); n++) {
                long pages = all.get(n).pagesDirtied();
                long stores = all.get(n).stores();
                double mbps = (pages - lastPages[n]) * (double) RamBus.PAGE_SIZE / (1 << 20) / elapsed;
                lines.append(String.format(Locale.ROOT, "%d,%d,%.1f,%.0f%n", t, all.get(n).number(), mbps, (stores - lastStores[n]) / elapsed));
                lastPages[n] = pages;
                lastStores[n] = stores;
            }
            out.print(lines);
            out.flush();
        }
    }
}
