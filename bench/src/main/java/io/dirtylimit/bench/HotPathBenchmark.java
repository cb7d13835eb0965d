package io.dirtylimit.bench;

import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.GuardMode;
import io.dirtylimit.core.Vcpu;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The vCPU hot path: {@link Vcpu#pagesDirtied} and {@link Vcpu#ringFull} with no limit set; with a
 * limit set whose first period has not ended, unguarded (no sleep published yet: the points are
 * placed but cost no sleep); and under the limit guarantee at a limit no single thread reaches (every
 * point consults the pacing clock and never waits). {@code baseline} is a plain field increment, what
 * counting a page costs the emulator anyway.
 *
 * <pre>java -jar bench/target/dirtylimit-bench.jar HotPathBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HotPathBenchmark {
    private DirtyLimiter unlimitedLimiter;
    private DirtyLimiter limitedLimiter;
    private Vcpu unlimited;
    private Vcpu limitedNotDue;
    private DirtyLimiter guardedLimiter;
    private Vcpu guardedNeverWaits;
    private long plainCounter;

    @Setup
    public void setUp() {
        unlimitedLimiter = DirtyLimiter.builder().manualControl().build();
        unlimited = unlimitedLimiter.registerVcpu(0);
        limitedLimiter = DirtyLimiter.builder().manualControl().guard(GuardMode.OFF).build();
        limitedNotDue = limitedLimiter.registerVcpu(0);
        limitedLimiter.setVcpuDirtyLimit(0, 1000); // quantum 256 pages; no period has run: no sleep yet
        guardedLimiter = DirtyLimiter.builder().manualControl().guard(GuardMode.ON).build();
        guardedNeverWaits = guardedLimiter.registerVcpu(0);
        guardedLimiter.setVcpuDirtyLimit(0, 100_000_000); // 256 pages in 10 ns: the clock never asks for a wait
    }

    @TearDown
    public void tearDown() {
        unlimitedLimiter.close();
        limitedLimiter.close();
        guardedLimiter.close();
    }

    @Benchmark
    public long baseline() {
        return ++plainCounter;
    }

    @Benchmark
    public void pagesDirtiedNoLimit() {
        unlimited.pagesDirtied(1);
    }

    @Benchmark
    public void ringFullNoLimit() {
        unlimited.ringFull();
    }

    /** A quantum point every 256 calls: the clock is read and the cycle recorded, but no sleep. */
    @Benchmark
    public void pagesDirtiedLimitNotDue() {
        limitedNotDue.pagesDirtied(1);
    }

    /** Every call is a throttle point: the clock is read, the cycle recorded, no sleep. */
    @Benchmark
    public void ringFullLimitNotDue() {
        limitedNotDue.ringFull();
    }

    /** Under the guarantee: a quantum point every 256 calls consults the pacing clock (one CAS). */
    @Benchmark
    public void pagesDirtiedGuarded() {
        guardedNeverWaits.pagesDirtied(1);
    }

    /** Under the guarantee, every call a point: clock read, pacing clock CAS, cycle recorded. */
    @Benchmark
    public void ringFullGuarded() {
        guardedNeverWaits.ringFull();
    }
}
