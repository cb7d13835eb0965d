# dirtylimit profile "othervm-instances": othervm with several machines in one JVM (--instances I).
#
# Every instance has its own RAM at the same guest addresses, so the address space is the RamBus object
# (space=this), not one space for the whole JVM: with a single named space, instance 1's first write to an
# address instance 0 had already written since the harvest would not count, and both would run at about
# twice their limit. Only RamBus is hooked: with space=this the system bus in front of it would be a second
# space, counting every page twice. CPUs are numbered across instances (cpu#K worker).
name        othervm-instances
page-size   4096
vcpu-id     thread-name "cpu#(\d+) worker"
harvest     1s

store       class io.dirtylimit.examples.othervm.RamBus write(long, byte[], int, int) address=arg0 size=arg3 space=this
