package io.dirtylimit.bench.evidence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A toy VM with 64 vCPUs, each writing at 20 MB/s, all limited to 10 MB/s (ring 1024, 1 GiB of
 * guest RAM so that every vCPU's region outlasts a harvest): the share of vCPUs within 10 % of the
 * limit, per second and over the second half of the run.
 */
final class ManyVcpus {
    static final int VCPUS = 64;
    static final double GUEST = 20;
    static final double LIMIT = 10;
    static final double BAND_PCT = 10;

    /** One policy's result. */
    record Result(String policy, int seconds, TreeMap<Integer, Double> sharePerSecond, double shareOfMeans,
            double meanRate, double minRate, double maxRate, List<Sample> samples) {}

    private ManyVcpus() {}

    static List<String> command(String java, Path toyVm, Path agent, Variant v, int seconds) {
        return List.of(java, "-javaagent:" + agent + "=profile=toyvm,limit=" + RealRuns.fmt(LIMIT) + ",policy=" + v.policy()
                        + ",quantum=" + v.quantumPages() + ",guard=" + v.guard().optionName(),
                "-jar", toyVm.toString(), "--vcpus", Integer.toString(VCPUS), "--mem", "1G", "--dirty-rate",
                RealRuns.fmt(GUEST), "--ring", "1024", "--seconds", Integer.toString(seconds), "--stats", "csv");
    }

    static Result run(String java, Path toyVm, Path agent, Path scratch, Variant v, int seconds)
            throws IOException, InterruptedException {
        List<String> command = command(java, toyVm, agent, v, seconds);
        ChildJvm.Output out = ChildJvm.run(command, scratch, seconds + 20);
        RealRuns.checkAgent(out, command);
        List<Sample> samples = new ArrayList<>();
        for (String[] row : RealRuns.parse(out.stdout())) {
            double t = Double.parseDouble(row[0]);
            if (t <= seconds) {
                samples.add(new Sample("real", v.label(), "vcpus-64", t, Integer.parseInt(row[1]), Double.parseDouble(row[2]),
                        LIMIT, GUEST, Double.parseDouble(row[4]), Double.NaN));
            }
        }
        if (samples.isEmpty()) {
            throw new IllegalStateException("no statistics from the 64-vCPU toy VM:\n" + out.tail());
        }
        return summarize(v.label(), seconds, samples);
    }

    static Result summarize(String policy, int seconds, List<Sample> samples) {
        TreeMap<Integer, int[]> perSecond = new TreeMap<>();
        Map<Integer, double[]> perVcpu = new TreeMap<>();
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        int n = 0;
        for (Sample s : samples) {
            int t = (int) Math.round(s.tSeconds());
            int[] counts = perSecond.computeIfAbsent(t, k -> new int[2]);
            counts[0] += within(s.rateMBps()) ? 1 : 0;
            counts[1]++;
            if (t > seconds / 2) {
                double[] acc = perVcpu.computeIfAbsent(s.vcpu(), k -> new double[2]);
                acc[0] += s.rateMBps();
                acc[1]++;
                min = Math.min(min, s.rateMBps());
                max = Math.max(max, s.rateMBps());
                sum += s.rateMBps();
                n++;
            }
        }
        TreeMap<Integer, Double> share = new TreeMap<>();
        perSecond.forEach((t, c) -> share.put(t, 100.0 * c[0] / VCPUS));
        long good = perVcpu.values().stream().filter(a -> within(a[0] / a[1])).count();
        return new Result(policy, seconds, share, 100.0 * good / VCPUS, n == 0 ? 0 : sum / n, n == 0 ? 0 : min, max, samples);
    }

    static boolean within(double rate) {
        return Math.abs(rate - LIMIT) <= LIMIT * BAND_PCT / 100;
    }
}
