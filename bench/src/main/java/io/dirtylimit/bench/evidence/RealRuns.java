package io.dirtylimit.bench.evidence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios on the toy VM in a child JVM with the agent, limit set from the start (the
 * {@code -javaagent} option), read from the toy VM's own {@code --stats csv}: pages it harvested
 * per vCPU per second. A vCPU still asleep when the run should end (QEMU's long sleeps) keeps the
 * VM from quitting; such a child is killed after a grace period and its samples up to the end kept.
 */
final class RealRuns {
    static final String CSV_HEADER = "t_s,vcpu,dirty_mbps,ring_full_exits,ips";
    private static final long GRACE_SECONDS = 10;

    private final String java;
    private final Path toyVm;
    private final Path agent;
    private final Path scratch;

    RealRuns(String java, Path toyVm, Path agent, Path scratch) {
        this.java = java;
        this.toyVm = toyVm;
        this.agent = agent;
        this.scratch = scratch;
    }

    List<String> command(EvidenceScenario s, Variant v, int seconds) {
        String options = "profile=toyvm,limit=" + fmt(s.limitMBps()) + ",policy=" + v.policy() + ",period=" + s.periodMs()
                + "ms,quantum=" + v.quantumPages() + ",guard=" + v.guard().optionName();
        return List.of(java, "-javaagent:" + agent + "=" + options, "-jar", toyVm.toString(), "--vcpus", "1",
                "--workload", s.workload(), "--dirty-rate", fmt(s.guestMBps()), "--ring", Integer.toString(s.ring()),
                "--seconds", Integer.toString(seconds), "--stats", "csv");
    }

    List<Sample> run(EvidenceScenario s, Variant v, int seconds) throws IOException, InterruptedException {
        List<String> command = command(s, v, seconds);
        ChildJvm.Output out = ChildJvm.run(command, scratch, seconds + GRACE_SECONDS);
        checkAgent(out, command);
        List<Sample> samples = new ArrayList<>();
        for (String[] row : parse(out.stdout())) {
            double t = Double.parseDouble(row[0]);
            if (t <= seconds) {
                samples.add(new Sample("real", v.label(), s.name(), t, Integer.parseInt(row[1]), Double.parseDouble(row[2]),
                        s.limitMBps(), s.meanDemandMBps(), Double.parseDouble(row[4]), Double.NaN));
            }
        }
        if (samples.isEmpty()) {
            throw new IllegalStateException("no statistics from the toy VM: " + String.join(" ", command) + "\n" + out.tail());
        }
        return samples;
    }

    static void checkAgent(ChildJvm.Output out, List<String> command) {
        boolean agentError = out.stderr().stream().anyMatch(l -> l.startsWith("dirtylimit: error"));
        if (agentError || (!out.killed() && out.exitCode() != 0)) {
            throw new IllegalStateException("toy VM run failed (exit " + out.exitCode() + "): " + String.join(" ", command)
                    + "\n" + out.tail());
        }
    }

    /** The statistics rows of the toy VM's CSV output. */
    static List<String[]> parse(List<String> stdout) {
        List<String[]> rows = new ArrayList<>();
        boolean header = false;
        for (String line : stdout) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (!header) {
                header = l.equals(CSV_HEADER);
                continue;
            }
            String[] f = l.split(",");
            if (f.length == 5) {
                rows.add(f);
            }
        }
        return rows;
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
