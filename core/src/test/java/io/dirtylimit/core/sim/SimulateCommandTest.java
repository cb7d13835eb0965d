package io.dirtylimit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulateCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Simulate.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsCsvUnderTheAgreedHeader() {
        assertThat(run("--policy", "all", "--scenario", "step", "--csv")).isZero();
        String[] lines = out().split("\n");
        assertThat(lines[0]).startsWith("policy,scenario,settle_periods,mean_err_pct,p95_err_pct,overshoot_pct");
        assertThat(lines).hasSize(6);
        assertThat(lines[2]).startsWith("model,step,1,");
    }

    @Test
    void printsATableByDefault() {
        assertThat(run("--policy", "model", "--scenario", "step")).isZero();
        assertThat(out()).startsWith("policy ").contains("model   step");
    }

    @Test
    void printsSamples() {
        assertThat(run("--policy", "qemu", "--scenario", "step", "--samples")).isZero();
        String[] lines = out().split("\n");
        assertThat(lines[0]).isEqualTo("policy,scenario,vcpu,period,rate_mbps,target_mbps,slept_ms");
        assertThat(lines).hasSize(31);
        assertThat(lines[1]).startsWith("qemu,step,0,1,500.000,200.000,");
    }

    @Test
    void listsScenariosAndWhatEachPolicyGets() {
        assertThat(run("--list")).isZero();
        assertThat(out()).contains("step-fast", "many", "qemu runs with ring-full throttle points only");
    }

    @Test
    void refusesBadArgumentsClearlyWithoutAStackTrace() {
        assertThat(run("--policy", "fast")).isEqualTo(2);
        assertThat(err()).startsWith("simulate: unknown policy 'fast' (known: linear, model, pi, qemu, v9, all)")
                .contains("usage:").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out()).isEmpty();
    }

    @Test
    void refusesUnknownScenariosOptionsAndMissingValues() {
        assertThat(run("--scenario", "huge")).isEqualTo(2);
        assertThat(err()).contains("unknown scenario 'huge' (known: step, step-fast, low, burst, noisy, sine, many, all)");
        err.reset();
        assertThat(run("--fast")).isEqualTo(2);
        assertThat(err()).contains("unknown argument '--fast'");
        err.reset();
        assertThat(run("--policy")).isEqualTo(2);
        assertThat(err()).contains("--policy needs a value");
        err.reset();
        assertThat(run("--policy", "--csv")).isEqualTo(2);
        assertThat(err()).contains("--policy needs a value");
    }
}
