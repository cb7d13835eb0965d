package io.dirtylimit.agent.runtime;

/**
 * The bridge handler while nothing needs dirty-page counts (no limit, no calc-dirty-rate, no
 * migration the governor watches): the per-page roles, called on nearly every guest store, return
 * at once; the rare ones (ring-full, vcpu-loop, vcpu-step, migration, faults) go to the dispatcher,
 * so vCPUs still register and migrations are still seen. QEMU, too, measures dirty rates only
 * while a dirty limit is set.
 */
final class IdleHandler extends ForwardingHandler {

    IdleHandler(Dispatcher dispatcher) {
        super(dispatcher);
    }

    @Override
    public void dirtyPage(int hook, int vcpu, long value) {
        // nothing needs the count
    }

    @Override
    public void store(int hook, int vcpu, long address, long size) {
        // nothing needs the count
    }

    @Override
    public void dirtyPageIn(int hook, int vcpu, Object space, long value) {
        // nothing needs the count
    }

    @Override
    public void storeIn(int hook, int vcpu, Object space, long address, long size) {
        // nothing needs the count
    }
}
