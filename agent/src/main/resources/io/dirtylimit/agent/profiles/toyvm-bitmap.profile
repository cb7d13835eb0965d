# dirtylimit profile "toyvm-bitmap": the toy emulator run with its dirty ring off (--ring 0).
#
# Without a ring there are no ring-full exits. Vcpu.pageDirtied(long page) still reports each page
# newly dirtied since the last harvest, so the core places a throttle point every quantum of pages.
name        toyvm-bitmap
page-size   4096
vcpu-id     thread-name "vcpu-(\d+)"

dirty-page  class io.dirtylimit.examples.toyvm.Vcpu pageDirtied(long) page=arg0

# The CPU-throttle point and the migration progress, as in the toyvm profile.
vcpu-step   class io.dirtylimit.examples.toyvm.Vcpu runSliceAndHandleExit() at=exit
migration-start class io.dirtylimit.examples.toyvm.Migration migrationStarted(long, long) bandwidth=arg0 downtime=arg1
migration-pass  class io.dirtylimit.examples.toyvm.Migration passCompleted(int, long, long, long) sent=arg1 dirtied=arg2
migration-end   class io.dirtylimit.examples.toyvm.Migration migrationFinished(boolean)
