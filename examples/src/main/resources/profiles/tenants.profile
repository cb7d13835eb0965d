# dirtylimit profile "tenants": the multi-tenant runtime example (io.dirtylimit.examples.tenants.TenantVm).
#
# Guests run in 2 ms slices on a pool of worker threads (tenant-worker-K), moving to another worker after
# every slice: a thread's name says nothing about which guest runs. What tells guests apart is their
# memory: each guest owns one LinearMemory, mapped at guest address 0 like every other guest's. So each
# LinearMemory object is an address space of its own (space=this: the same guest address in two guests is
# two pages) and a throttled unit of its own (vcpu-id space): unit N is the N-th memory first written,
# whichever worker wrote it, and 'dirtylimit set PID --cpu N RATE' limits that guest alone.
name        tenants
page-size   4096
vcpu-id     space
# The runtime's own accounting forgets dirty pages once a second; so does the agent's.
harvest     1s

# write(int address, byte[] data, int from, int to) copies data[from..to) to [address, address + to - from).
# 'to' is an exclusive end index into data, not a guest address; the guests always pass from = 0, so the
# size is 'to'. Addresses are ints read as unsigned (the agent's default: a 3 GiB memory's upper addresses
# are negative Java ints).
store       class io.dirtylimit.examples.tenants.LinearMemory write(int, byte[], int, int) address=arg0 size=arg3 space=this
# fill(byte value, int from, int to): a guest's memset of guest addresses [from, to), an exclusive end address.
store       class io.dirtylimit.examples.tenants.LinearMemory fill(byte, int, int) address=arg1 end=arg2 space=this
