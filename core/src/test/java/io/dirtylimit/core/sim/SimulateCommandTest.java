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
        assertThat(lines[0]).isEqualTo("policy,scenario,settle_periods,mean_err_pct,p95_err_pct,overshoot_pct,"
                + "excess_sleep_pct,worst_window,guard");
        assertThat(lines).hasSize(6);
        assertThat(lines[2]).startsWith("model,step,0,").endsWith(",on");
        assertThat(lines[4]).startsWith("qemu,step,1,2.00,").endsWith(",2.500,off");
    }

    @Test
    void theGuardCanBeTurnedOffOrOnForAnyPolicy() {
        assertThat(run("--policy", "model", "--scenario", "warmup", "--guard", "off", "--csv")).isZero();
        assertThat(out().split("\n")[1]).startsWith("model,warmup,3,").endsWith(",25.000,off");
        out.reset();
        assertThat(run("--policy", "v9", "--scenario", "warmup", "--guard", "on", "--csv")).isZero();
        assertThat(out().split("\n")[1]).startsWith("v9,warmup,0,").endsWith(",on");
        assertThat(run("--guard", "maybe")).isEqualTo(2);
        assertThat(err()).startsWith("simulate: --guard must be auto, on or off, got 'maybe'");
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
        assertThat(out()).contains("step-fast", "many", "warmup", "short-burst", "late-vcpu", "bursty",
                "qemu runs with ring-full throttle points only", "worst_window");
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
        assertThat(err()).contains("unknown scenario 'huge' (known: step, step-fast, low, burst, bursty, noisy, sine, many, warmup, short-burst,"
                + " late-vcpu, all)");
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
