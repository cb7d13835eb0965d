package io.dirtylimit.examples.toyvm;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Builds toy VMs for tests from command-line options, with captured output. */
final class TestVms {
    private TestVms() {}

    static Machine machine(String... args) throws UsageException {
        return machine(StatsSink.none(), new Output(), args);
    }

    static Machine machine(StatsSink stats, Output output, String... args) throws UsageException {
        VmConfig config = new OptionParser(Runtime.getRuntime().maxMemory()).parse(args);
        return new Machine(config, output.console(config.stats() == VmConfig.StatsMode.CSV), stats);
    }

    /** Captured stdout and stderr. */
    static final class Output {
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        Console console(boolean csv) {
            return new Console(out, err, csv);
        }

        String out() {
            synchronized (out) {
                return outBytes.toString(StandardCharsets.UTF_8);
            }
        }

        String err() {
            synchronized (err) {
                return errBytes.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** Keeps every second's samples. */
    static final class RecordingStats implements StatsSink {
        private final List<List<VcpuSample>> seconds = new ArrayList<>();

        @Override
        public void start() {}

        @Override
        public synchronized void second(long t, List<VcpuSample> samples) {
            seconds.add(samples);
        }

        synchronized int count() {
            return seconds.size();
        }

        /** The samples of second t (1-based). */
        synchronized List<VcpuSample> second(int t) {
            return seconds.get(t - 1);
        }

        /** vCPU {@code vcpu}'s mean dirty rate over seconds from..to (1-based, inclusive). */
        /**
         * vCPU {@code vcpu}'s median dirty rate over seconds from..to (1-based, inclusive): for a rate's
         * lower side, which a second of a machine busy with other work pulls down (the guests do not catch up).
         */
        synchronized double medianDirtyMbps(int vcpu, int from, int to) {
            List<Double> rates = new ArrayList<>();
            for (int t = from; t <= to; t++) {
                rates.add(seconds.get(t - 1).stream().filter(s -> s.vcpu() == vcpu).findFirst().orElseThrow().dirtyMbps());
            }
            Collections.sort(rates);
            int middle = rates.size() / 2;
            return rates.size() % 2 == 1 ? rates.get(middle) : (rates.get(middle - 1) + rates.get(middle)) / 2;
        }

        synchronized double meanDirtyMbps(int vcpu, int from, int to) {
            double sum = 0;
            for (int t = from; t <= to; t++) {
                sum += seconds.get(t - 1).stream().filter(s -> s.vcpu() == vcpu).findFirst().orElseThrow().dirtyMbps();
            }
            return sum / (to - from + 1);
        }

        /** vCPU {@code vcpu}'s dirtied MB per million guest instructions over seconds from..to (1-based, inclusive). */
        synchronized double dirtyMbPerMegaInstructions(int vcpu, int from, int to) {
            double mb = 0;
            double instructions = 0;
            for (int t = from; t <= to; t++) {
                VcpuSample sample = seconds.get(t - 1).stream().filter(s -> s.vcpu() == vcpu).findFirst().orElseThrow();
                mb += sample.dirtyMbps();
                instructions += sample.instructionsPerSecond();
            }
            return mb / (instructions / 1e6);
        }
    }
}
