package io.dirtylimit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToyVmOverheadTest {

    @Test
    void optionsHaveDefaultsAndAreParsed() {
        ToyVmOverhead.Options defaults = ToyVmOverhead.Options.parse();
        assertThat(defaults.rounds).isEqualTo(11);
        assertThat(defaults.seconds).isEqualTo(6);
        assertThat(defaults.skip).isEqualTo(2);
        assertThat(defaults.cases).extracting(OverheadCase::id).containsExactly("ring-full", "dirty-page", "toyvm", "store-copy", "store-seq", "control");

        ToyVmOverhead.Options options = ToyVmOverhead.Options.parse("--rounds", "3", "--seconds", "4", "--skip", "2",
                "--cases", "store-copy,ring-full", "--repo", "/r");
        assertThat(options.rounds).isEqualTo(3);
        assertThat(options.seconds).isEqualTo(4);
        assertThat(options.skip).isEqualTo(2);
        assertThat(options.cases).extracting(OverheadCase::id).containsExactly("ring-full", "store-copy");
        assertThat(options.repo).isEqualTo(Path.of("/r"));
        assertThat(ToyVmOverhead.Options.parse("--cases", "diagnostics,ring-full").cases).extracting(OverheadCase::id)
                .containsExactly("ring-full", "control", "dirty-page-counting", "toyvm-counting", "store-copy-counting",
                        "store-seq-counting", "dirty-page-idle", "store-copy-idle", "store-seq-idle");
        assertThat(ToyVmOverhead.Options.parse("--cases", "all").cases).hasSize(13);
        assertThat(ToyVmOverhead.Options.parse("--prefix", " taskset  -c 1 ").prefix).containsExactly("taskset", "-c", "1");
    }

    @Test
    void badOptionsGetOneClearMessage() {
        assertThatThrownBy(() -> ToyVmOverhead.Options.parse("--rounds", "0")).hasMessageContaining("--rounds").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ToyVmOverhead.Options.parse("--seconds", "six")).hasMessageContaining("'six'");
        assertThatThrownBy(() -> ToyVmOverhead.Options.parse("--seconds")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> ToyVmOverhead.Options.parse("--seconds", "2", "--skip", "2")).hasMessageContaining("leaves nothing");
        assertThatThrownBy(() -> ToyVmOverhead.Options.parse("--cases", "store,ring-full")).hasMessageContaining("unknown case 'store'");
        assertThatThrownBy(() -> ToyVmOverhead.Options.parse("--fast", "1")).hasMessageContaining("unknown option '--fast'");
    }

    @Test
    void theRatioIsTheMedianOfPerRoundCpuTimeRatiosAndPassesAtItsTarget() {
        OverheadCase store = OverheadCase.select("store-copy").get(0);
        // Per CPU second, round ratios 0.95, 0.80, 0.90: median 0.90, exactly the store target.
        // Per wall second, round 2's hooked run lost half its CPU to another process.
        ToyVmOverhead.Result result = new ToyVmOverhead.Result(store,
                rates(new double[] {100, 200, 100}, new double[] {100, 200, 100}),
                rates(new double[] {95, 160, 90}, new double[] {95, 80, 90}));
        assertThat(result.byCpu()).isTrue();
        assertThat(result.cpuRatios()).containsExactly(0.95, 0.80, 0.90);
        assertThat(result.wallRatios()).containsExactly(0.95, 0.40, 0.90);
        assertThat(result.ratio().median()).isEqualTo(0.90);
        assertThat(result.ratio().min()).isEqualTo(0.80);
        assertThat(result.medianIps(false)).isEqualTo(100);
        assertThat(result.medianIps(true)).isEqualTo(95);
        assertThat(result.pass()).isTrue();
        assertThat(result.verdict()).isEqualTo("PASS*");
        ToyVmOverhead.Result firm = new ToyVmOverhead.Result(store,
                rates(new double[] {100, 100, 100}, null), rates(new double[] {95, 96, 97}, null));
        assertThat(firm.verdict()).isEqualTo("PASS");
        ToyVmOverhead.Result miss = new ToyVmOverhead.Result(store,
                rates(new double[] {100, 100, 100}, null), rates(new double[] {89, 95, 80}, null));
        assertThat(miss.pass()).isFalse();
        assertThat(miss.verdict()).isEqualTo("MISS*");
    }

    @Test
    void withoutCpuReadingsTheVerdictIsOnWallClockRates() {
        OverheadCase ring = OverheadCase.select("ring-full").get(0);
        ToyVmRun.Rates[] baseline = rates(new double[] {100, 100, 100}, new double[] {100, 100, 100});
        ToyVmRun.Rates[] hooked = {new ToyVmRun.Rates(99, Double.NaN, Double.NaN), new ToyVmRun.Rates(99, 99, 1),
                new ToyVmRun.Rates(97, 97, 1)};
        ToyVmOverhead.Result result = new ToyVmOverhead.Result(ring, baseline, hooked);
        assertThat(result.byCpu()).isFalse();
        assertThat(result.cpuRatios()).isNull();
        assertThat(result.ratio().median()).isEqualTo(0.99);
        assertThat(result.medianIps(true)).isEqualTo(99);
        assertThat(result.medianCpuShare()).isEqualTo(1);
    }

    /** Rates per CPU second {@code cpu} and per wall second {@code wall} (null: the same as cpu). */
    private static ToyVmRun.Rates[] rates(double[] cpu, double[] wall) {
        ToyVmRun.Rates[] rates = new ToyVmRun.Rates[cpu.length];
        for (int i = 0; i < cpu.length; i++) {
            double w = wall == null ? cpu[i] : wall[i];
            rates[i] = new ToyVmRun.Rates(w, cpu[i], w / cpu[i]);
        }
        return rates;
    }

    @Test
    void aHookedRunMustShowEveryRoleInstalledAndReached() {
        OverheadCase toyvm = OverheadCase.select("toyvm").get(0);
        List<String> good = List.of(
                "dirtylimit: hook 0 (ring-full) instruments io.dirtylimit.examples.toyvm.Vcpu.handleRingFull()",
                "dirtylimit: hook 1 (dirty-page) instruments io.dirtylimit.examples.toyvm.Vcpu.pageDirtied(long)",
                "dirtylimit: vCPU 0 registered on thread 'vcpu-0'");
        ToyVmRun.checkHooked(toyvm, good, List.of("java"));
        assertThatThrownBy(() -> ToyVmRun.checkHooked(toyvm, good.subList(1, 3), List.of("java")))
                .hasMessageContaining("no ring-full hook was installed");
        assertThatThrownBy(() -> ToyVmRun.checkHooked(toyvm, good.subList(0, 2), List.of("java")))
                .hasMessageContaining("no hook call reached vCPU 0");
        assertThatThrownBy(() -> ToyVmRun.checkHooked(toyvm, List.of("dirtylimit: error: /x: no such profile file"), List.of("java")))
                .hasMessageContaining("no such profile file");

        OverheadCase storeSeq = OverheadCase.select("store-seq").get(0); // idle agent: no vCPU registers
        ToyVmRun.checkHooked(storeSeq, List.of(
                "dirtylimit: hook 0 (store) instruments io.dirtylimit.examples.toyvm.GuestMemory.write64(long, long)"), List.of("java"));
        OverheadCase storeSeqCounting = OverheadCase.select("store-seq-counting").get(0);
        assertThatThrownBy(() -> ToyVmRun.checkHooked(storeSeqCounting, List.of(
                "dirtylimit: hook 0 (store) instruments io.dirtylimit.examples.toyvm.GuestMemory.write64(long, long)"), List.of("java")))
                .hasMessageContaining("no hook call reached vCPU 0");

        OverheadCase idle = OverheadCase.select("store-copy-idle").get(0);
        List<String> idleGood = List.of(
                "dirtylimit: hook 0 (store) instruments io.dirtylimit.examples.toyvm.GuestMemory.write64(long, long)",
                IdleBridgeAgent.INSTALLED + "io.dirtylimit.agent.runtime.Dispatcher");
        ToyVmRun.checkHooked(idle, idleGood, List.of("java"));
        assertThatThrownBy(() -> ToyVmRun.checkHooked(idle,
                List.of(idleGood.get(0), IdleBridgeAgent.INSTALLED + "io.dirtylimit.bridge.Bridge$NoOp"), List.of("java")))
                .hasMessageContaining("the idle handler did not replace the agent's handler");
    }

    @Test
    void theCommandRunsOneVcpuFlatOutWithTheAgentOnlyWhenHooked() {
        RepoJars jars = new RepoJars(Path.of("/r/toyvm.jar"), Path.of("/r/agent.jar"));
        ToyVmRun run = new ToyVmRun(List.of("java"), jars, Path.of("/tmp"), 6, 1);
        OverheadCase seq = OverheadCase.select("dirty-page").get(0);
        assertThat(run.command(seq, null)).containsExactly("java", "-jar", "/r/toyvm.jar", "--vcpus", "1", "--workload", "seq",
                "--dirty-rate", "max", "--ring", "4096", "--seconds", "6", "--stats", "csv");
        assertThat(run.command(seq, "toyvm-bitmap")).element(1).isEqualTo("-javaagent:/r/agent.jar=profile=toyvm-bitmap,log=debug");
        assertThat(run.command(seq, "toyvm-bitmap")).element(2).isEqualTo("-jar");
        assertThat(run.command(OverheadCase.select("dirty-page-counting").get(0), "toyvm-bitmap")).element(1)
                .isEqualTo("-javaagent:/r/agent.jar=profile=toyvm-bitmap,log=debug,counting=always");
    }

    @Test
    void anIdleCaseAddsTheIdleHandlerAgentAfterTheRealOne(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ToyVmRun run = new ToyVmRun(List.of("java"), new RepoJars(Path.of("/r/toyvm.jar"), Path.of("/r/agent.jar")), dir, 6, 1);
        List<String> command = run.command(OverheadCase.select("dirty-page-idle").get(0), "toyvm-bitmap");
        assertThat(command.get(1)).isEqualTo("-javaagent:/r/agent.jar=profile=toyvm-bitmap,log=debug");
        assertThat(command.get(2)).isEqualTo("-javaagent:" + dir.resolve("idle-bridge.jar"));
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(dir.resolve("idle-bridge.jar").toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Premain-Class")).isEqualTo(IdleBridgeAgent.class.getName());
            assertThat(jar.stream().map(java.util.jar.JarEntry::getName)).containsExactlyInAnyOrder(
                    "META-INF/MANIFEST.MF", "io/dirtylimit/bench/IdleBridgeAgent.class", "io/dirtylimit/bench/IdleBridgeAgent$Idle.class");
        }
        assertThat(run.command(OverheadCase.select("dirty-page-idle").get(0), null)).element(1).isEqualTo("-jar");
    }

    @Test
    void aPrefixCommandGoesBeforeTheLauncherAndTheControlRunsNoAgent() {
        ToyVmRun run = new ToyVmRun(List.of("setarch", "x86_64", "-R", "java"), new RepoJars(Path.of("/t.jar"), Path.of("/a.jar")),
                Path.of("/tmp"), 5, 1);
        OverheadCase control = OverheadCase.select("control").get(0);
        assertThat(control.isControl()).isTrue();
        assertThat(run.command(control, null)).startsWith("setarch", "x86_64", "-R", "java", "-jar", "/t.jar")
                .doesNotContain("-javaagent:/a.jar");
    }

    @Test
    void theSecondOfAStatisticsLineIsItsFirstField() {
        assertThat(ToyVmRun.secondOf("3,0,12.5,4,100")).isEqualTo(3L);
        assertThat(ToyVmRun.secondOf(ToyVmCsv.HEADER)).isNull();
        assertThat(ToyVmRun.secondOf("# migrate: done")).isNull();
        assertThat(ToyVmRun.secondOf("")).isNull();
    }

    @Test
    void missingJarsAreNamedWithTheCommandThatBuildsThem(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThatThrownBy(() -> RepoJars.locate(dir, null, null))
                .hasMessageContaining("examples/target/toyvm.jar not found").hasMessageContaining("mvn -B -ntp -pl examples package");
    }
}
