package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** KVM dirty-ring semantics through a vCPU's store path (vCPU threads not started unless said). */
class DirtyTrackingTest {
    private static final long PAGE = GuestMemory.PAGE_SIZE;

    @Test
    void firstWriteSinceHarvestPushesExactlyOneEntry() throws Exception {
        Machine vm = TestVms.machine("--mem", "1M", "--ring", "16");
        Vcpu vcpu = vm.vcpu(0);
        vcpu.store(PAGE, 1);
        assertThat(vcpu.ring().fillAcquire()).isEqualTo(1);
        vcpu.store(PAGE, 2);
        vcpu.store(PAGE + 8, 3);
        vcpu.store(2 * PAGE - 8, 4);
        assertThat(vcpu.ring().fillAcquire()).as("same page again: nothing").isEqualTo(1);
        vcpu.store(2 * PAGE, 5);
        assertThat(vcpu.ring().fillAcquire()).isEqualTo(2);
        assertThat(vm.memory().read64(PAGE + 8)).isEqualTo(3);
    }

    @Test
    void harvestMovesPagesToTheVmBitmapAndReprotectsThem() throws Exception {
        Machine vm = TestVms.machine("--mem", "1M", "--ring", "16");
        Vcpu vcpu = vm.vcpu(0);
        vcpu.store(PAGE, 1);
        vcpu.store(3 * PAGE, 1);
        assertThat(vm.tracker().isDirtyVolatile(1)).isTrue();
        vcpu.handleRingFull();
        assertThat(vcpu.ring().fillAcquire()).isZero();
        assertThat(vm.tracker().isVmBitmapSet(1)).isTrue();
        assertThat(vm.tracker().isVmBitmapSet(3)).isTrue();
        assertThat(vm.tracker().vmBitmapCountVolatile()).isEqualTo(2);
        assertThat(vm.tracker().isDirtyVolatile(1)).as("re-protected").isFalse();
        assertThat(vcpu.statPagesAcquire()).isEqualTo(2);

        vcpu.store(PAGE, 2);
        assertThat(vcpu.ring().fillAcquire()).as("written again after the harvest: pushed again").isEqualTo(1);
    }

    @Test
    void storeReportsRingFullAtTheSizeThEntryAndTheExitHarvests() throws Exception {
        Machine vm = TestVms.machine("--mem", "1M", "--ring", "16");
        Vcpu vcpu = vm.vcpu(0);
        for (int page = 0; page < 15; page++) {
            assertThat(vcpu.store(page * PAGE, 1)).isFalse();
        }
        assertThat(vcpu.store(15 * PAGE, 1)).isTrue();
        vcpu.exitRingFull();
        assertThat(vcpu.ring().fillAcquire()).isZero();
        assertThat(vcpu.ringFullExitsAcquire()).isEqualTo(1);
        assertThat(vcpu.store(16 * PAGE, 1)).as("a new ring").isFalse();
    }

    @Test
    void guestCodeLeavesItsSliceWithARingFullExitEveryRingfulOfPages() throws Exception {
        Machine vm = TestVms.machine("--mem", "1M", "--ring", "16", "--workload", "seq");
        Vcpu vcpu = vm.vcpu(0);
        assertThat(vcpu.runSliceAndHandleExit()).isEqualTo(ExitReason.RING_FULL);
        assertThat(vcpu.statPagesAcquire()).isEqualTo(16);
        assertThat(vcpu.ring().fillAcquire()).isZero();
        assertThat(vcpu.runSliceAndHandleExit()).isEqualTo(ExitReason.RING_FULL);
        assertThat(vcpu.statPagesAcquire()).isEqualTo(32);
        assertThat(vcpu.ringFullExitsAcquire()).isEqualTo(2);
        assertThat(vm.tracker().vmBitmapCountVolatile()).isEqualTo(32);
    }

    @Test
    void aPageIsInOneRingAtATime() throws Exception {
        Machine vm = TestVms.machine("--mem", "1M", "--ring", "16", "--vcpus", "2");
        vm.vcpu(0).store(5 * PAGE, 1);
        vm.vcpu(1).store(5 * PAGE, 2);
        assertThat(vm.vcpu(0).ring().fillAcquire()).isEqualTo(1);
        assertThat(vm.vcpu(1).ring().fillAcquire()).isZero();
        vm.syncDirty();
        vm.vcpu(1).store(5 * PAGE, 3);
        assertThat(vm.vcpu(1).ring().fillAcquire()).isEqualTo(1);
    }

    @Test
    void withoutARingStoresGoToTheDirtyLogUntilItIsSynced() throws Exception {
        Machine vm = TestVms.machine("--mem", "1M", "--ring", "0");
        Vcpu vcpu = vm.vcpu(0);
        assertThat(vcpu.ring()).isNull();
        assertThat(vcpu.store(PAGE, 1)).isFalse();
        vcpu.store(PAGE + 8, 1);
        vcpu.store(2 * PAGE, 1);
        assertThat(vcpu.statPagesAcquire()).as("counted once per page").isEqualTo(2);
        assertThat(vm.tracker().vmBitmapCountVolatile()).as("still in the log").isZero();
        vm.syncDirty();
        assertThat(vm.tracker().vmBitmapCountVolatile()).isEqualTo(2);
        assertThat(vm.tracker().isDirtyVolatile(1)).isFalse();
        vcpu.store(PAGE, 2);
        assertThat(vcpu.statPagesAcquire()).as("re-protected by the sync").isEqualTo(3);
    }

    @Test
    void withoutARingGuestCodeNeverExitsForRingFull() throws Exception {
        Machine vm = TestVms.machine("--mem", "1M", "--ring", "0", "--workload", "seq");
        for (int i = 0; i < 100; i++) {
            assertThat(vm.vcpu(0).runSliceAndHandleExit()).isEqualTo(ExitReason.SLICE_END);
        }
        assertThat(vm.vcpu(0).statPagesAcquire()).isEqualTo(256);
    }

    @Test
    void aRunningVcpuHarvestsExactlyOneRingfulPerRingFullExit() throws Exception {
        Machine vm = TestVms.machine("--mem", "4M", "--ring", "16", "--workload", "seq");
        Vcpu vcpu = vm.vcpu(0);
        vcpu.start(); // no reaper: only ring-full exits harvest
        assertThat(vcpu.thread().getName()).isEqualTo("vcpu-0");
        await().atMost(Duration.ofSeconds(30)).until(() -> vcpu.ringFullExitsAcquire() > 100);
        vcpu.requestStop();
        assertThat(vcpu.join(10_000)).isTrue();
        long exits = vcpu.ringFullExitsAcquire();
        assertThat(vcpu.statPagesAcquire()).isEqualTo(16 * exits);
        assertThat(vcpu.ring().fillAcquire()).isLessThan(16);
        assertThat(vcpu.state()).isEqualTo(VcpuState.UNPLUGGED);
    }

    /**
     * The interleaving that publishing before re-protecting would get wrong: migration takes a
     * page from the VM bitmap the moment it is published and copies it, then the vCPU stores to
     * it again before the harvest ends. The store must be reported again.
     */
    @Test
    void aStoreJustAfterMigrationCopiedAHarvestedPageIsReportedAgain() throws Exception {
        Machine vm = TestVms.machine("--mem", "1M", "--ring", "16");
        Vcpu vcpu = vm.vcpu(0);
        DirtyTracker tracker = vm.tracker();
        DestinationRam destination = new DestinationRam(vm.memory().pages());
        long[] taken = new long[tracker.bitmapWords()];
        vcpu.store(PAGE, 1);
        vcpu.ring().harvestInto(new DirtyRing.Harvester() {
            @Override
            public void reprotect(long page) {
                tracker.reprotect(page);
            }

            @Override
            public void reprotected() {
                tracker.reprotected();
            }

            @Override
            public void publish(long page) {
                tracker.publish(page);
                tracker.takeVmBitmap(taken);
                destination.receive(page, vm.memory());
                vcpu.store(PAGE, 2);
            }
        });
        assertThat(taken[0]).isEqualTo(1L << 1);
        assertThat(vcpu.ring().fillAcquire()).as("the racing store was reported").isEqualTo(1);
        vm.syncDirty();
        java.util.Arrays.fill(taken, 0);
        tracker.takeVmBitmap(taken);
        assertThat(taken[0]).isEqualTo(1L << 1);
        destination.receive(1, vm.memory());
        assertThat(destination.firstDifferentPage(vm.memory())).isEqualTo(-1);
    }
}
