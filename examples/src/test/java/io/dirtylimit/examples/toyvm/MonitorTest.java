package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MonitorTest {
    private final TestVms.Output output = new TestVms.Output();
    private final TestVms.RecordingStats stats = new TestVms.RecordingStats();
    private Machine vm;
    private Monitor monitor;

    private void boot(String... args) throws UsageException {
        vm = TestVms.machine(stats, output, args);
        monitor = new Monitor(vm, output.console(false));
        vm.start();
    }

    @AfterEach
    void shutdown() throws InterruptedException {
        if (vm != null) {
            vm.shutdown();
        }
    }

    /** Runs a command; returns what it printed. */
    private String execute(String command) {
        int before = output.out().length();
        monitor.execute(command);
        return output.out().substring(before).trim();
    }

    private long instructions(int vcpu) {
        return vm.vcpu(vcpu).instructionsAcquire();
    }

    @Test
    void pauseWaitsForEveryVcpuToLeaveGuestCodeAndResumeLetsThemRun() throws Exception {
        boot("--vcpus", "3", "--mem", "12M", "--workload", "seq,1:compute,2:random", "--dirty-rate", "20");
        await().atMost(Duration.ofSeconds(30)).until(() -> instructions(0) > 0 && instructions(1) > 0 && instructions(2) > 0);
        assertThat(execute("pause")).isEqualTo("paused");
        long[] frozen = {instructions(0), instructions(1), instructions(2)};
        assertThat(vm.vcpus()).extracting(Vcpu::state).containsOnly(VcpuState.PAUSED);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> instructions(0) == frozen[0] && instructions(1) == frozen[1] && instructions(2) == frozen[2]);
        assertThat(execute("info vcpus")).contains("CPU #1: thread=vcpu-1 state=paused workload=compute");
        assertThat(execute("pause")).isEqualTo("error: the VM is already paused");

        assertThat(execute("resume")).isEqualTo("resumed");
        await().atMost(Duration.ofSeconds(30)).until(() -> instructions(1) > frozen[1] && instructions(0) > frozen[0]);
        assertThat(execute("resume")).isEqualTo("error: the VM is not paused");
    }

    @Test
    void unplugEndsTheVcpuThread() throws Exception {
        boot("--vcpus", "2", "--mem", "8M", "--dirty-rate", "10");
        Thread thread = vm.vcpu(1).thread();
        assertThat(execute("unplug 1")).isEqualTo("vCPU 1 unplugged");
        assertThat(thread.isAlive()).isFalse();
        assertThat(execute("info vcpus")).contains("CPU #1: thread=vcpu-1 state=unplugged").contains("CPU #0: thread=vcpu-0 state=running");
        assertThat(execute("unplug 1")).isEqualTo("error: vCPU 1 is already unplugged");
        assertThat(execute("unplug 2")).isEqualTo("error: no vCPU 2 (vCPUs are 0..1)");
        assertThat(execute("unplug one")).isEqualTo("error: unplug: 'one' is not a vCPU index");
        assertThat(execute("unplug")).isEqualTo("error: usage: unplug N (a vCPU index)");
        int seen = stats.count();
        await().atMost(Duration.ofSeconds(30)).until(() -> stats.count() > seen + 1);
        assertThat(stats.second(stats.count())).extracting(VcpuSample::vcpu).containsExactly(0);
        assertThat(execute("pause")).as("pausing does not wait for the unplugged vCPU").isEqualTo("paused");
    }

    @Test
    void plugStartsAnUnpluggedVcpuAgainOnANewThread() throws Exception {
        boot("--vcpus", "2", "--mem", "8M", "--dirty-rate", "10");
        Thread first = vm.vcpu(1).thread();
        assertThat(execute("plug 1")).isEqualTo("error: vCPU 1 is plugged in (unplug it first)");
        assertThat(execute("unplug 1")).isEqualTo("vCPU 1 unplugged");
        long stopped = instructions(1);
        assertThat(execute("plug 1")).isEqualTo("vCPU 1 plugged in");
        Thread second = vm.vcpu(1).thread();
        assertThat(second).isNotSameAs(first);
        assertThat(second.getName()).isEqualTo("vcpu-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> instructions(1) > stopped);
        assertThat(execute("info vcpus")).contains("CPU #1: thread=vcpu-1 state=running");
        assertThat(execute("pause")).as("the new thread parks like the others").isEqualTo("paused");
        assertThat(execute("resume")).isEqualTo("resumed");
        assertThat(execute("unplug 1")).isEqualTo("vCPU 1 unplugged");
        assertThat(second.isAlive()).isFalse();
        assertThat(execute("plug 2")).isEqualTo("error: no vCPU 2 (vCPUs are 0..1)");
        assertThat(execute("plug x")).isEqualTo("error: plug: 'x' is not a vCPU index");
    }

    /** Found by the soak: a compute vCPU (it never idles or pauses) showed "created" for good, also after a plug. */
    @Test
    void aVcpuThatNeverIdlesShowsRunning() throws Exception {
        boot("--vcpus", "2", "--mem", "8M", "--workload", "compute");
        await().atMost(Duration.ofSeconds(30)).until(() -> instructions(1) > 0);
        assertThat(execute("info vcpus")).contains("CPU #0: thread=vcpu-0 state=running", "CPU #1: thread=vcpu-1 state=running");
        assertThat(execute("unplug 1")).isEqualTo("vCPU 1 unplugged");
        long stopped = instructions(1);
        assertThat(execute("plug 1")).isEqualTo("vCPU 1 plugged in");
        await().atMost(Duration.ofSeconds(30)).until(() -> instructions(1) > stopped);
        assertThat(execute("info vcpus")).contains("CPU #1: thread=vcpu-1 state=running");
    }

    @Test
    void infoDirtyShowsTheLastSecond() throws Exception {
        boot("--vcpus", "2", "--mem", "32M", "--dirty-rate", "20");
        assertThat(execute("info dirty")).contains("no sample yet");
        await().atMost(Duration.ofSeconds(30)).until(() -> stats.count() >= 2);
        assertThat(execute("info dirty"))
                .contains("dirty tracking: ring of 4096 entries per vCPU")
                .containsPattern("vcpu 0: \\d+\\.\\d MB/s, \\d+ ring-full exits/s, ring \\d+/4096")
                .containsPattern("vcpu 1: \\d+\\.\\d MB/s")
                .containsPattern("total: \\d+\\.\\d MB/s; VM dirty bitmap: \\d+ pages");
    }

    @Test
    void migrateFromTheMonitor() throws Exception {
        boot("--mem", "8M", "--dirty-rate", "10");
        assertThat(execute("info migrate")).isEqualTo("no migration");
        assertThat(execute("migrate_cancel")).isEqualTo("error: no migration in progress");
        assertThat(execute("migrate bandwidth=fast")).startsWith("error: migrate: bandwidth must be a rate in MB/s");
        assertThat(execute("migrate downtime=20 colour=blue")).startsWith("error: migrate: unknown parameter 'colour'");
        assertThat(execute("migrate bandwidth=1")).isEqualTo("migration started: bandwidth=1 downtime=300 max-passes=30 max-seconds=60");
        assertThat(execute("migrate")).isEqualTo("error: a migration is already in progress");
        await("the migration thread leaves setup").atMost(Duration.ofSeconds(30))
                .until(() -> !execute("info migrate").startsWith("migration: setup"));
        assertThat(execute("info migrate")).startsWith("migration: active, bandwidth=1");
        assertThat(execute("migrate_cancel")).as("the migration thread may print its result first")
                .endsWith("migration cancel requested");
        assertThat(vm.migration().awaitResult(30, TimeUnit.SECONDS).reason()).isEqualTo("cancelled");
        assertThat(output.out()).contains("{\"converged\":false,\"reason\":\"cancelled\"");
        assertThat(execute("info migrate")).startsWith("migration: cancelled");
    }

    @Test
    void badCommandsGetAnErrorAndTheVmKeepsRunning() throws Exception {
        boot("--mem", "8M", "--dirty-rate", "10");
        assertThat(execute("")).isEmpty();
        assertThat(execute("   ")).isEmpty();
        assertThat(execute("reboot")).isEqualTo("error: unknown command 'reboot' (try 'help')");
        assertThat(execute("info")).isEqualTo("error: usage: info vcpus | info dirty | info migrate");
        assertThat(execute("info cpus")).isEqualTo("error: usage: info vcpus | info dirty | info migrate");
        assertThat(execute("pause now")).isEqualTo("error: pause takes no arguments");
        assertThat(execute("quit please")).isEqualTo("error: quit takes no arguments");
        assertThat(execute("help")).contains("unplug N").contains("plug N").contains("migrate [bandwidth=MB/s]");
        assertThat(vm.awaitQuit(0, TimeUnit.SECONDS)).isFalse();
        long before = instructions(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> instructions(0) > before);
        assertThat(execute("QUIT")).isEmpty();
        assertThat(vm.awaitQuit(5, TimeUnit.SECONDS)).isTrue();
    }
}
