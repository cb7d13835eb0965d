# dirtylimit profile "toyvm": the toy emulator (io.dirtylimit.examples.toyvm) with its dirty ring on.
#
# The toy VM names its vCPU threads vcpu-N. On the vCPU's own thread it calls
# Vcpu.pageDirtied(long page) once per page newly dirtied since the last harvest, and
# Vcpu.handleRingFull() once per ring-full exit, after leaving guest code; that method harvests the
# ring and returns. Both are called over and over, so they take effect right after a dynamic attach
# (unlike Vcpu.run(), the vCPU loop, which never returns).
name        toyvm
page-size   4096
vcpu-id     thread-name "vcpu-(\d+)"
# Throttle points at ring-full exits and every quantum of dirtied pages (the core's default), so a
# vCPU whose ring rarely fills is held too; quantum=0 gives QEMU's ring-full exits only.

# The sleep goes after the ring has been harvested, as QEMU sleeps after reaping the ring.
ring-full   class io.dirtylimit.examples.toyvm.Vcpu handleRingFull() at=exit
dirty-page  class io.dirtylimit.examples.toyvm.Vcpu pageDirtied(long) page=arg0

# Every vCPU, dirtying or not, returns from a slice of guest code here: the CPU-throttle point of
# the auto-converge baseline (migration-mode=auto-converge). Costs one volatile read otherwise.
vcpu-step   class io.dirtylimit.examples.toyvm.Vcpu runSliceAndHandleExit() at=exit
# Pre-copy progress, on the migration thread: the governor of migration=auto listens here.
migration-start class io.dirtylimit.examples.toyvm.Migration migrationStarted(long, long) bandwidth=arg0 downtime=arg1
migration-pass  class io.dirtylimit.examples.toyvm.Migration passCompleted(int, long, long, long) sent=arg1 dirtied=arg2
migration-end   class io.dirtylimit.examples.toyvm.Migration migrationFinished(boolean)
