package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Successful parses and the layout; every bad input is in {@link ToyVmTest}. */
class OptionParserTest {
    private static final long BIG_HEAP = 8L << 30;

    private static VmConfig parse(String... args) throws UsageException {
        return new OptionParser(BIG_HEAP).parse(args);
    }

    @Test
    void defaults() throws Exception {
        VmConfig c = parse();
        assertThat(c.memBytes()).isEqualTo(256L << 20);
        assertThat(c.vcpus()).isEqualTo(1);
        assertThat(c.ringSize()).isEqualTo(4096);
        assertThat(c.stats()).isEqualTo(VmConfig.StatsMode.TABLE);
        assertThat(c.seconds()).isZero();
        assertThat(c.migrate()).isNull();
        VcpuWorkload w = c.workloads().get(0);
        assertThat(w.kind()).isEqualTo(WorkloadKind.SEQ);
        assertThat(w.flatOut()).isTrue();
        assertThat(w.base()).isZero();
        assertThat(w.size()).isEqualTo(256L << 20);
    }

    @Test
    void ramIsSplitEvenlyBetweenTheWritersOnly() throws Exception {
        VmConfig c = parse("--mem", "96M", "--vcpus", "4", "--workload", "seq,1:compute,2:random,3:copy", "--dirty-rate", "200,3:max",
                "--wss", "8M", "--ring", "0", "--stats", "csv", "--seconds", "6", "--seed", "9");
        assertThat(c.workloads()).extracting(VcpuWorkload::kind)
                .containsExactly(WorkloadKind.SEQ, WorkloadKind.COMPUTE, WorkloadKind.RANDOM, WorkloadKind.COPY);
        assertThat(c.workloads()).extracting(VcpuWorkload::base).containsExactly(0L, 0L, 32L << 20, 64L << 20);
        assertThat(c.workloads()).extracting(VcpuWorkload::size).containsExactly(32L << 20, 0L, 32L << 20, 32L << 20);
        assertThat(c.workloads().get(2).workingSet()).isEqualTo(8L << 20);
        assertThat(c.workloads()).extracting(VcpuWorkload::rateMbps).containsExactly(200.0, 200.0, 200.0, VcpuWorkload.FLAT_OUT);
        assertThat(c.workloads()).extracting(VcpuWorkload::seed).containsExactly(9L, 10L, 11L, 12L);
        assertThat(c.ringless()).isTrue();
        assertThat(c.stats()).isEqualTo(VmConfig.StatsMode.CSV);
        assertThat(c.seconds()).isEqualTo(6);
    }

    @Test
    void regionsArePageAligned() throws Exception {
        VmConfig c = parse("--mem", "100K", "--vcpus", "3");
        assertThat(c.workloads()).extracting(VcpuWorkload::size).containsOnly(32L << 10);
        assertThat(c.workloads()).extracting(VcpuWorkload::base).containsExactly(0L, 32L << 10, 64L << 10);
    }

    @Test
    void acceptsEqualsFormsSizeSuffixesAndFractionalRates() throws Exception {
        VmConfig c = parse("--mem=1G", "--dirty-rate=12.5", "--ring=16", "--stats=none", "--vcpus=2");
        assertThat(c.memBytes()).isEqualTo(1L << 30);
        assertThat(c.workloads().get(1).rateMbps()).isEqualTo(12.5);
        assertThat(c.ringSize()).isEqualTo(16);
        assertThat(parse("--mem", "65536").memBytes()).isEqualTo(65536);
        assertThat(parse("--mem", "64k").memBytes()).isEqualTo(65536);
        assertThat(parse("--mem", "2MiB").memBytes()).isEqualTo(2 << 20);
    }

    @Test
    void migrationOptions() throws Exception {
        VmConfig c = parse("--migrate", "bandwidth=64,downtime=100,max-passes=5,max-seconds=20", "--migrate-after", "3");
        assertThat(c.migrate()).isEqualTo(new MigrationParams(64, 100, 5, 20));
        assertThat(c.migrateAfterSeconds()).isEqualTo(3);
        VmConfig d = parse("--migrate", "defaults");
        assertThat(d.migrate()).isEqualTo(MigrationParams.DEFAULTS);
        assertThat(d.migrateAfterSeconds()).isEqualTo(1);
        assertThat(MigrationParams.DEFAULTS.downtimeBudgetBytes()).isEqualTo((128L << 20) * 300 / 1000);
    }

    @Test
    void refusesRamThatDoesNotFitInTheHeap() {
        assertThatThrownBy(() -> new OptionParser(1L << 30).parse(new String[] {"--mem", "1G"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("--mem: 1G does not fit in this JVM's heap (max 1024M); run java with a larger -Xmx");
    }

    @Test
    void helpIsRecognisedAnywhere() {
        assertThat(OptionParser.wantsHelp(new String[] {"--vcpus", "2", "--help"})).isTrue();
        assertThat(OptionParser.wantsHelp(new String[] {"--vcpus", "2"})).isFalse();
    }
}
