package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;

/** A toy VM (or othervm) in a child JVM, with helpers to wait on the rates its own CSV shows. */
final class ToyVmProcess implements AutoCloseable {
    static final String TOYVM = "io.dirtylimit.examples.toyvm.ToyVm";
    static final String OTHERVM = "io.dirtylimit.examples.othervm.OtherVm";
    static final String TENANTS = "io.dirtylimit.examples.tenants.TenantVm";
    /** Seconds averaged for one reading of a vCPU's rate. */
    static final int WINDOW = 3;
    /** How long a rate may take to settle; generous, for a loaded 2-core machine. */
    static final Duration SETTLE = Duration.ofSeconds(60);

    final ForkedJvm jvm;

    private ToyVmProcess(ForkedJvm jvm) {
        this.jvm = jvm;
    }

    /** Starts {@code mainClass} with {@code jvmArgs} (e.g. a -javaagent) and the emulator's {@code args}. */
    static ToyVmProcess start(String mainClass, List<String> jvmArgs, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("-Xmx768m", "-XX:+EnableDynamicAgentLoading"));
        all.addAll(jvmArgs);
        return new ToyVmProcess(ForkedJvm.start(all, ItPaths.examplesClasspath().toString(), mainClass, Arrays.asList(args)));
    }

    static String javaagent(String options) {
        return "-javaagent:" + ItPaths.agentJar() + (options.isEmpty() ? "" : "=" + options);
    }

    long pid() {
        return jvm.pid();
    }

    int lastSecond() {
        return RateCsv.lastSecond(jvm.out());
    }

    /** Waits for {@code seconds} more CSV seconds. */
    void awaitSeconds(int seconds) {
        int target = lastSecond() + seconds;
        await().atMost(Duration.ofSeconds(seconds * 3L + 20)).pollInterval(Duration.ofMillis(200))
                .failFast("the emulator died", () -> !jvm.isAlive())
                .until(() -> lastSecond() >= target);
    }

    /**
     * Waits until the mean over {@link #WINDOW} seconds (all after {@code afterSecond}) of each
     * vCPU in {@code vcpus} is within {@code percent} % of {@code mbps}, then for a fresh window,
     * entirely later, to be in the band too (settled, not passing through); returns its means.
     */
    double[] awaitRates(double mbps, double percent, int afterSecond, int... vcpus) {
        awaitWindow(mbps, percent, afterSecond, vcpus);
        return awaitWindow(mbps, percent, lastSecond(), vcpus);
    }

    private double[] awaitWindow(double mbps, double percent, int afterSecond, int... vcpus) {
        double[] means = new double[vcpus.length];
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500))
                .failFast("the emulator died", () -> !jvm.isAlive())
                .untilAsserted(() -> {
                    for (int i = 0; i < vcpus.length; i++) {
                        OptionalDouble mean = RateCsv.mean(jvm.out(), vcpus[i], WINDOW, afterSecond);
                        assertThat(mean).as("vCPU %d, last rates %s\n%s", vcpus[i], RateCsv.last(jvm.out(), vcpus[i], 8), jvm.tail())
                                .isPresent();
                        assertThat(mean.getAsDouble()).as("vCPU %d mean of %d s, last rates %s", vcpus[i], WINDOW,
                                RateCsv.last(jvm.out(), vcpus[i], 8)).isCloseTo(mbps, within(mbps * percent / 100));
                        means[i] = mean.getAsDouble();
                    }
                });
        return means;
    }

    /** The mean over the next {@link #WINDOW} seconds of {@code vcpu}'s rate. */
    double measure(int vcpu) {
        int after = lastSecond();
        awaitSeconds(WINDOW);
        return RateCsv.mean(jvm.out(), vcpu, WINDOW, after).orElseThrow();
    }

    /**
     * Waits up to {@link #SETTLE} for {@code vcpu}'s mean over its latest {@link #WINDOW} seconds after
     * {@code afterSecond} to satisfy {@code check}; returns that mean. For floors ("runs unthrottled, near
     * its rate"): seconds in which other processes take the machine's cores pull a free writer below its
     * rate for a while, so a floor is met by a window, not by the first one read.
     */
    double awaitRate(int vcpu, int afterSecond, DoublePredicate check, String what) {
        double[] passed = new double[1];
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500))
                .failFast("the emulator died", () -> !jvm.isAlive())
                .untilAsserted(() -> {
                    OptionalDouble mean = RateCsv.mean(jvm.out(), vcpu, WINDOW, afterSecond);
                    assertThat(mean).as("vCPU %d has %d s of rates", vcpu, WINDOW).isPresent();
                    assertThat(check.test(mean.getAsDouble())).as("vCPU %d: %s; mean %.1f, last rates %s", vcpu, what,
                            mean.getAsDouble(), RateCsv.last(jvm.out(), vcpu, 8)).isTrue();
                    passed[0] = mean.getAsDouble();
                });
        return passed[0];
    }

    /**
     * Waits for {@code vcpu} to run free again, at least {@code 100 - percent} % of {@code unthrottled} (its
     * rate measured before a limit) over a window after {@code afterSecond}; returns that window's mean.
     * A floor, not a band: a busy second in the measure before would otherwise fail a faster run after.
     */
    double awaitFree(int vcpu, double unthrottled, double percent, int afterSecond) {
        double floor = unthrottled * (100 - percent) / 100;
        return awaitRate(vcpu, afterSecond, mbps -> mbps >= floor,
                String.format(Locale.ROOT, "free again, at least %.0f %% of its %.1f MB/s before", 100 - percent, unthrottled));
    }

    /** Runs a migration through the monitor and returns its JSON line. */
    String migrate() throws IOException {
        int before = jvm.out().size();
        jvm.send("migrate bandwidth=20000 downtime=2000 max-passes=50 max-seconds=60");
        String[] json = new String[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .failFast("the emulator died", () -> !jvm.isAlive())
                .until(() -> {
                    List<String> out = List.copyOf(jvm.out());
                    for (String line : out.subList(Math.min(before, out.size()), out.size())) {
                        if (line.contains("\"converged\"")) {
                            json[0] = line;
                            return true;
                        }
                    }
                    return false;
                });
        return json[0];
    }

    /** Lines the agent printed on the emulator's stderr. */
    List<String> agentLines() {
        return jvm.err().stream().filter(line -> line.startsWith("dirtylimit:")).toList();
    }

    @Override
    public void close() {
        try {
            if (jvm.isAlive()) {
                jvm.send("quit");
            }
        } catch (IOException ignored) {
            // already gone
        }
        jvm.close();
    }
}
