package io.dirtylimit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.bench.soak.SoakOptions;
import io.dirtylimit.bench.soak.SoakRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The soak for one minute (issue 14): the toy VM with 64 vCPUs, three clients driving every control
 * operation through the tool and the MXBean, a migration, a vCPU unplugged and plugged back; the
 * built toy VM and agent jars. Nothing may fail, escape or leak.
 */
class SoakIT {

    @Test
    void oneMinuteOfChurnLosesNothingAndLeaksNothing() throws Exception {
        Path repo = Path.of(System.getProperty("dirtylimit.repo.dir", "..")).toAbsolutePath().normalize();
        SoakOptions options = SoakOptions.parse(new String[] {"--minutes", "1", "--repo", repo.toString()});
        RepoJars jars = RepoJars.locate(options.repo(), null, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(new TeeStream(System.out, log), true, StandardCharsets.UTF_8);
        SoakRun.Result result = new SoakRun(options, jars.toyVm(), jars.agent(), both).run();
        System.out.println(result.summary());

        assertThat(result.failures()).as(log.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(result.operations()).isGreaterThan(10);
        assertThat(result.migrations()).isPositive().isEqualTo(result.identical());
        assertThat(result.escaped()).isZero();
        assertThat(result.leakedThreads()).isZero();
        assertThat(result.heapGrowthPercent()).isLessThanOrEqualTo(SoakRun.HEAP_GROWTH_LIMIT_PERCENT);
        assertThat(result.passed()).isTrue();
        assertThat(result.summary()).matches("soak: 1 min, \\d+ operations, 0 failed, migrations (\\d+)/\\1 identical, escaped 0,"
                + " leaked threads 0, heap growth -?\\d+\\.\\d %");
    }

    /** Copies what the soak prints to the test's output and keeps it for the failure message. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            first.write(bytes, off, len);
            second.write(bytes, off, len);
        }
    }
}
