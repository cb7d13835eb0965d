package io.dirtylimit.bench;

import io.dirtylimit.bench.soak.SoakOptions;
import io.dirtylimit.bench.soak.SoakRun;

/**
 * The soak: {@code java -cp bench/target/dirtylimit-bench.jar io.dirtylimit.bench.Soak --minutes M
 * [--vcpus N] [--seed S]}. A toy VM (64 vCPUs, mixed workloads) runs for M minutes while several
 * clients drive a seeded random schedule of every control operation through the tool and the
 * MXBean (set, cancel, query, calc, status, attach with new options, detach and re-attach,
 * policy, period, guard and migration-mode changes, bad commands), a migration runs every minute
 * and vCPUs are unplugged and plugged back. It checks as it goes (exit codes, timeouts, the limits
 * in force against {@code query --json} and the toy VM's own rates, each migration's RAM) and at
 * the end (no agent thread left, the classes' original bytes back, no exception escaped into the
 * toy VM, heap after full GC), then prints one summary line and exits 0 only if all held (1 on a
 * failure, 2 on bad options or a run that could not start).
 */
public final class Soak {
    private Soak() {}

    /**
     * Runs the soak.
     *
     * @param args see {@link SoakOptions#USAGE}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(SoakOptions.USAGE);
            return 0;
        }
        SoakOptions options;
        RepoJars jars;
        try {
            options = SoakOptions.parse(args);
            jars = RepoJars.locate(options.repo(), null, null);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.err.println(SoakOptions.USAGE);
            return 2;
        }
        SoakRun.Result result;
        try {
            result = new SoakRun(options, jars.toyVm(), jars.agent(), System.out).run();
        } catch (Exception e) {
            System.err.println("soak: the run could not go on: " + e);
            e.printStackTrace();
            return 2;
        }
        result.failures().forEach(failure -> System.out.println("soak: failed: " + failure));
        System.out.println(result.summary());
        return result.passed() ? 0 : 1;
    }
}
