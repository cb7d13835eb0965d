package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The vCPU loop's exits other than ring-full: PAUSE, HALT, faults; and stopping. */
class VcpuTest {
    private final TestVms.Output output = new TestVms.Output();
    private final GuestMemory memory = new GuestMemory(64 * 1024);
    private final DirtyTracker tracker = new DirtyTracker(memory.pages());
    private final RunControl runControl = new RunControl(1);
    private final GuestClock clock = GuestClock.startingNow();

    private Vcpu vcpu(Program program) {
        VcpuWorkload workload = new VcpuWorkload(0, WorkloadKind.SEQ, VcpuWorkload.FLAT_OUT, 0, memory.size(), memory.size(), 1);
        return new Vcpu(0, workload, program, memory, tracker, new DirtyRing(16), runControl, clock, output.console(false));
    }

    private static void stop(Vcpu vcpu) throws InterruptedException {
        vcpu.requestStop();
        assertThat(vcpu.join(10_000)).isTrue();
        assertThat(vcpu.state()).isEqualTo(VcpuState.UNPLUGGED);
    }

    @Test
    void aGuestFaultIsReportedAndHaltsTheVcpuUntilItIsStopped() throws Exception {
        Vcpu vcpu = vcpu(new Assembler().loadi(1, 3).store(1, 0, 1).assemble());
        vcpu.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> vcpu.state() == VcpuState.FAULTED);
        assertThat(output.err()).contains("vcpu-0: guest fault: bad guest address 0x3").contains("at pc 1 (store [r1 + 0], r1)");
        assertThat(vcpu.thread().isAlive()).isTrue();
        stop(vcpu);
    }

    @Test
    void haltParksTheVcpu() throws Exception {
        Vcpu vcpu = vcpu(new Assembler().loadi(1, 8).store(1, 0, 1).halt().assemble());
        vcpu.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> vcpu.state() == VcpuState.HALTED);
        assertThat(memory.read64(8)).isEqualTo(8);
        assertThat(vcpu.instructionsAcquire()).isEqualTo(3);
        stop(vcpu);
    }

    @Test
    void pauseInstructionIdlesForTheGuestTime() throws Exception {
        // r2 = clock before, PAUSE 50 ms, r3 = clock after, store r3 - r2 at address 0
        Vcpu vcpu = vcpu(new Assembler().clock(2).loadi(1, 50_000_000).pause(1).clock(3).sub(4, 3, 2).store(0, 0, 4).halt().assemble());
        vcpu.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> vcpu.state() == VcpuState.HALTED);
        assertThat(memory.read64(0)).isBetween(50_000_000L, 5_000_000_000L);
        stop(vcpu);
    }

    @Test
    void stopInterruptsALongGuestPause() throws Exception {
        Vcpu vcpu = vcpu(new Assembler().loadi(1, Long.MAX_VALUE).pause(1).halt().assemble());
        vcpu.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> vcpu.instructionsAcquire() == 2);
        stop(vcpu);
    }
}
