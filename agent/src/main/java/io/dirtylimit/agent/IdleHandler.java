package io.dirtylimit.agent;

import io.dirtylimit.bridge.BridgeHandler;

/**
 * The bridge handler while nothing needs dirty-page counts (no limit, no calc-dirty-rate, no
 * migration the governor watches): the per-page roles, called on nearly every guest store, return
 * at once; the rare ones (ring-full, vcpu-loop, vcpu-step, migration, faults) go to the dispatcher,
 * so vCPUs still register and migrations are still seen. QEMU, too, measures dirty rates only
 * while a dirty limit is set.
 */
final class IdleHandler extends BridgeHandler {
    private final Dispatcher dispatcher;

    IdleHandler(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void ringFull(int hook, int vcpu) {
        dispatcher.ringFull(hook, vcpu);
    }

    @Override
    public void vcpuLoop(int hook, int vcpu) {
        dispatcher.vcpuLoop(hook, vcpu);
    }

    @Override
    public void vcpuStep(int hook, int vcpu) {
        dispatcher.vcpuStep(hook, vcpu);
    }

    @Override
    public void migrationStart(int hook, long bandwidthBytesPerSec, long downtimeMillis) {
        dispatcher.migrationStart(hook, bandwidthBytesPerSec, downtimeMillis);
    }

    @Override
    public void migrationPass(int hook, long bytesSent, long bytesDirtied) {
        dispatcher.migrationPass(hook, bytesSent, bytesDirtied);
    }

    @Override
    public void migrationEnd(int hook) {
        dispatcher.migrationEnd(hook);
    }

    @Override
    public void fault(int hook, Throwable failure) {
        dispatcher.fault(hook, failure);
    }
}
