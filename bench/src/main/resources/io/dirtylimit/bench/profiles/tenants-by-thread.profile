# dirtylimit profile "tenants-by-thread" (benchmarks): the tenants example's stores with an address space
# per memory object (space=this), pages counted for the calling thread's vCPU (vcpu-id thread-name), as
# an emulator with one thread per vCPU and one memory object per instance would be hooked. Used to
# measure the object-space lookup beside the named space of toyvm-store.
name        tenants-by-thread
page-size   4096
vcpu-id     thread-name "vcpu-(\d+)"
harvest     1s

store       class io.dirtylimit.examples.tenants.LinearMemory write(int, byte[], int, int) address=arg0 size=arg3 space=this
