# dirtylimit profile "othervm": the "other VM" example emulator (io.dirtylimit.examples.othervm).
#
# Its CPUs are threads named "cpu#N worker"; nothing else tells them apart. Every guest store goes
# through the MemoryBus interface, write(long guestAddress, byte[] data, int offset, int length),
# which two classes implement (the system bus and the RAM behind it). There is no dirty ring and no
# dirty-page callback: the agent tracks first writes since harvest itself, and the core places a
# throttle point every quantum of pages.
name        othervm
page-size   4096
vcpu-id     thread-name "cpu#(\d+) worker"
# The emulator's own accounting forgets dirty pages once a second; so does the agent's.
harvest     1s

store       implementations-of io.dirtylimit.examples.othervm.MemoryBus write(long, byte[], int, int) address=arg0 size=arg3
