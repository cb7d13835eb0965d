package io.dirtylimit.examples.toyvm;

import java.util.List;
import java.util.Locale;

/** Receives the reaper's per-second statistics. */
interface StatsSink {
    String CSV_HEADER = "t_s,vcpu,dirty_mbps,ring_full_exits,ips";

    void start();

    void second(long t, List<VcpuSample> samples);

    static StatsSink none() {
        return new StatsSink() {
            @Override
            public void start() {}

            @Override
            public void second(long t, List<VcpuSample> samples) {}
        };
    }

    /** {@code --stats csv}: a header, then one line per vCPU per second. */
    static StatsSink csv(Console console) {
        return new StatsSink() {
            @Override
            public void start() {
                console.stats(CSV_HEADER);
            }

            @Override
            public void second(long t, List<VcpuSample> samples) {
                StringBuilder lines = new StringBuilder();
                for (VcpuSample s : samples) {
                    if (lines.length() > 0) {
                        lines.append(System.lineSeparator());
                    }
                    lines.append(String.format(Locale.ROOT, "%d,%d,%.1f,%d,%d",
                            t, s.vcpu(), s.dirtyMbps(), s.ringFullExits(), s.instructionsPerSecond()));
                }
                if (lines.length() > 0) {
                    console.stats(lines.toString());
                }
            }
        };
    }

    /** {@code --stats table}: aligned columns for people, a total line with several vCPUs. */
    static StatsSink table(Console console) {
        return new StatsSink() {
            @Override
            public void start() {
                console.stats(String.format(Locale.ROOT, "%5s %5s %12s %12s %14s", "t_s", "vcpu", "dirty MB/s", "ring-full/s", "instr/s"));
            }

            @Override
            public void second(long t, List<VcpuSample> samples) {
                double total = 0;
                for (VcpuSample s : samples) {
                    total += s.dirtyMbps();
                    console.stats(String.format(Locale.ROOT, "%5d %5d %12.1f %12d %14d",
                            t, s.vcpu(), s.dirtyMbps(), s.ringFullExits(), s.instructionsPerSecond()));
                }
                if (samples.size() > 1) {
                    console.stats(String.format(Locale.ROOT, "%5d %5s %12.1f", t, "all", total));
                }
            }
        };
    }
}
