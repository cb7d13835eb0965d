# dirtylimit profile "tenants-units" (benchmarks): the tenants example's own hooks, each memory object an
# address space and a throttled unit (vcpu-id space), whichever thread writes it.
name        tenants-units
page-size   4096
vcpu-id     space
harvest     1s

store       class io.dirtylimit.examples.tenants.LinearMemory write(int, byte[], int, int) address=arg0 size=arg3 space=this
