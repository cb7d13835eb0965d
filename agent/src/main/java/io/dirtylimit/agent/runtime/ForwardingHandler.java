package io.dirtylimit.agent.runtime;

import io.dirtylimit.bridge.BridgeHandler;

/**
 * A bridge handler that passes every hook call on to another; subclasses override what they change
 * ({@link IdleHandler}: the per-page roles return at once; {@link FaultInjector}: throws now and
 * then). A new role is forwarded here once, not in each of them.
 */
abstract class ForwardingHandler extends BridgeHandler {
    private final BridgeHandler delegate;

    ForwardingHandler(BridgeHandler delegate) {
        this.delegate = delegate;
    }

    @Override
    public void ringFull(int hook, int vcpu) {
        delegate.ringFull(hook, vcpu);
    }

    @Override
    public void dirtyPage(int hook, int vcpu, long value) {
        delegate.dirtyPage(hook, vcpu, value);
    }

    @Override
    public void store(int hook, int vcpu, long address, long size) {
        delegate.store(hook, vcpu, address, size);
    }

    @Override
    public void dirtyPageIn(int hook, int vcpu, Object space, long value) {
        delegate.dirtyPageIn(hook, vcpu, space, value);
    }

    @Override
    public void storeIn(int hook, int vcpu, Object space, long address, long size) {
        delegate.storeIn(hook, vcpu, space, address, size);
    }

    @Override
    public void vcpuLoop(int hook, int vcpu) {
        delegate.vcpuLoop(hook, vcpu);
    }

    @Override
    public void vcpuStep(int hook, int vcpu) {
        delegate.vcpuStep(hook, vcpu);
    }

    @Override
    public void migrationStart(int hook, long bandwidthBytesPerSec, long downtimeMillis) {
        delegate.migrationStart(hook, bandwidthBytesPerSec, downtimeMillis);
    }

    @Override
    public void migrationPass(int hook, long bytesSent, long bytesDirtied) {
        delegate.migrationPass(hook, bytesSent, bytesDirtied);
    }

    @Override
    public void migrationEnd(int hook) {
        delegate.migrationEnd(hook);
    }

    @Override
    public void fault(int hook, Throwable failure) {
        delegate.fault(hook, failure);
    }
}
