# dirtylimit profile "toyvm-ring-full" (benchmarks): the toy emulator with its dirty ring on, hooked
# at its ring-full exits only, as QEMU's dirty limit is. Each ring-full call accounts for a whole
# ring of pages (ring-size, the toy VM's default --ring 4096), so no hook runs per dirtied page.
# Used to measure the ring-full role alone; the built-in "toyvm" profile adds a dirty-page hook.
name        toyvm-ring-full
page-size   4096
vcpu-id     thread-name "vcpu-(\d+)"
ring-size   4096
quantum     0

ring-full   class io.dirtylimit.examples.toyvm.Vcpu handleRingFull() at=exit
