# dirtylimit profile "toyvm-vcpu-loop" (benchmarks): the ring-full profile plus a vcpu-loop hook on
# the vCPU's execution loop, which learns the thread's vCPU when the loop starts. The loop is entered
# once per vCPU thread, so the hook has no per-store or per-exit cost in the toy VM; the JMH benchmark
# measures one call anyway.
name        toyvm-vcpu-loop
page-size   4096
vcpu-id     thread-name "vcpu-(\d+)"
ring-size   4096
quantum     0

vcpu-loop   class io.dirtylimit.examples.toyvm.Vcpu run()
ring-full   class io.dirtylimit.examples.toyvm.Vcpu handleRingFull() at=exit
