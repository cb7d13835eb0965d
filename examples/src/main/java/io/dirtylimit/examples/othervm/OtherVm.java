package io.dirtylimit.examples.othervm;

import java.io.BufferedReader;
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
 *      [--cpus N] [--rate MBPS|max] [--ram-mb MB] [--block BYTES] [--seconds S]
 * </pre>
 *
 * Runs for S seconds, or until stdin says {@code quit} or closes when S is 0 (the default).
 */
public final class OtherVm {
    private int cpus = 2;
    private double rateMbps = 100;
    private int ramMb = 256;
    private int block = 256;
    private int seconds;

    private OtherVm() {}

    public static void main(String[] args) throws Exception {
        OtherVm vm = new OtherVm();
        try {
            vm.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("othervm: " + e.getMessage());
            System.err.println("usage: OtherVm [--cpus N] [--rate MBPS|max] [--ram-mb MB] [--block BYTES] [--seconds S]");
            System.exit(2);
        }
        vm.run(System.out);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--cpus" -> cpus = positive(value, "--cpus");
                case "--rate" -> rateMbps = value.equals("max") ? Double.POSITIVE_INFINITY : Double.parseDouble(value);
                case "--ram-mb" -> ramMb = positive(value, "--ram-mb");
                case "--block" -> block = positive(value, "--block");
                case "--seconds" -> seconds = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (!(rateMbps > 0) || block > RamBus.PAGE_SIZE) {
            throw new IllegalArgumentException("--rate must be above 0 and --block at most " + RamBus.PAGE_SIZE);
        }
    }

    private static int positive(String value, String option) {
        int n = Integer.parseInt(value);
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return n;
    }

    private void run(PrintStream out) throws Exception {
        RamBus ram = new RamBus(ramMb << 20);
        SystemBus bus = new SystemBus(ram);
        long region = Long.highestOneBit(ram.size() / cpus);
        double pagesPerSecond = rateMbps * (1 << 20) / RamBus.PAGE_SIZE;
        List<Cpu> all = new ArrayList<>();
        for (int n = 0; n < cpus; n++) {
            all.add(new Cpu(n, bus, Program.sweep(n * region, region, block), pagesPerSecond, block));
        }
        System.err.printf(Locale.ROOT, "othervm: %d cpus, %d MiB RAM, %d MiB per cpu, target %s MB/s each%n",
                cpus, ramMb, region >> 20, Double.isFinite(rateMbps) ? String.valueOf(rateMbps) : "max");
        all.forEach(Cpu::start);
        Thread input = watchStdin(all);
        printStats(out, ram, all);
        all.forEach(Cpu::stop);
        input.interrupt();
        System.err.printf(Locale.ROOT, "othervm: done, doorbell rings %d, RAM checksum %x%n", bus.doorbellRings(), ram.checksum());
    }

    private volatile boolean quit;

    private Thread watchStdin(List<Cpu> all) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
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

    private void printStats(PrintStream out, RamBus ram, List<Cpu> all) throws InterruptedException {
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
            ram.harvest();
            for (int n = 0; n < all.size(); n++) {
                long pages = all.get(n).pagesDirtied();
                long stores = all.get(n).stores();
                double mbps = (pages - lastPages[n]) * (double) RamBus.PAGE_SIZE / (1 << 20) / elapsed;
                out.printf(Locale.ROOT, "%d,%d,%.1f,%.0f%n", t, n, mbps, (stores - lastStores[n]) / elapsed);
                lastPages[n] = pages;
                lastStores[n] = stores;
            }
            out.flush();
        }
    }
}
