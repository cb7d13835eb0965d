# dirtylimit profile "toyvm-store": the toy emulator throttled from its guest stores alone.
#
# GuestMemory.write64(long address, long value) is every 8-byte guest store. The agent keeps its
# own page-indexed dirty bitmap (first write since harvest counts, harvest once a second, like the
# toy VM's own accounting) and reports newly dirtied pages to the core, which places a throttle
# point every quantum of pages. Works with the ring on or off; it does not use the toy VM's own
# dirty tracking at all, as for an emulator that has none.
name        toyvm-store
page-size   4096
vcpu-id     thread-name "vcpu-(\d+)"
harvest     1s

store       class io.dirtylimit.examples.toyvm.GuestMemory write64(long, long) address=arg0 size=8

# The CPU-throttle point and the migration progress, as in the toyvm profile.
vcpu-step   class io.dirtylimit.examples.toyvm.Vcpu runSliceAndHandleExit() at=exit
migration-start class io.dirtylimit.examples.toyvm.Migration migrationStarted(long, long) bandwidth=arg0 downtime=arg1
migration-pass  class io.dirtylimit.examples.toyvm.Migration passCompleted(int, long, long, long) sent=arg1 dirtied=arg2
migration-end   class io.dirtylimit.examples.toyvm.Migration migrationFinished(boolean)
