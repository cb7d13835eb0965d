package io.dirtylimit.bench.soak;

import java.nio.file.Path;

/**
 * The soak's options.
 *
 * @param minutes how long the clients drive operations
 * @param vcpus the toy VM's vCPUs
 * @param seed the seed of every client's schedule
 * @param clients concurrent clients
 * @param repo the repository root (null: found above the bench jar or the working directory)
 * @param java the java launcher for the toy VM and the tool
 */
public record SoakOptions(double minutes, int vcpus, long seed, int clients, Path repo, String java) {
    /** The usage text. */
    public static final String USAGE = String.join("\n",
            "usage: java -cp bench/target/dirtylimit-bench.jar io.dirtylimit.bench.Soak --minutes M [--vcpus N] [--seed S]",
            "       [--clients C] [--repo DIR] [--java PATH]",
            "  --minutes M   how long the clients drive control operations (decimals allowed), required",
            "  --vcpus N     the toy VM's vCPUs, 2 to 256 (default 64)",
            "  --seed S      the seed of the clients' schedules (default 14)",
            "  --clients C   concurrent clients, 1 to 16 (default 3)",
            "  --repo DIR    the repository root with the built jars (default: found above the bench jar)",
            "  --java PATH   the java launcher for the toy VM and the tool (default: this JVM's)");

    /**
     * Reads the command line.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException saying what is wrong
     */
    public static SoakOptions parse(String[] args) {
        double minutes = Double.NaN;
        int vcpus = 64;
        long seed = 14;
        int clients = 3;
        Path repo = null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value" : "unexpected '" + option + "'");
            }
            String value = args[++i];
            try {
                switch (option) {
                    case "--minutes" -> minutes = Double.parseDouble(value);
                    case "--vcpus" -> vcpus = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--clients" -> clients = Integer.parseInt(value);
                    case "--repo" -> repo = Path.of(value);
                    case "--java" -> java = value;
                    default -> throw new IllegalArgumentException("unknown option '" + option + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " '" + value + "' is not a number");
            }
        }
        if (!(minutes > 0 && minutes <= 24 * 60)) {
            throw new IllegalArgumentException("--minutes is required, more than 0 and at most 1440");
        }
        if (vcpus < 2 || vcpus > 256) {
            throw new IllegalArgumentException("--vcpus must be 2 to 256 (the toy VM's range)");
        }
        if (clients < 1 || clients > 16) {
            throw new IllegalArgumentException("--clients must be 1 to 16");
        }
        return new SoakOptions(minutes, vcpus, seed, clients, repo, java);
    }
}
