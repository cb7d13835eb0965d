package io.dirtylimit.agent;

import io.dirtylimit.bridge.BridgeHandler;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only ({@code fault-every=N}): throws from every Nth hook call before the real handler runs,
 * to show that a failure inside the agent's hook never reaches the emulator.
 */
final class FaultInjector extends BridgeHandler {
    private final BridgeHandler delegate;
    private final long every;
    private final AtomicLong calls = new AtomicLong();

    FaultInjector(BridgeHandler delegate, long every) {
        this.delegate = delegate;
        this.every = every;
    }

    private void maybeFail() {
        if (calls.incrementAndGet() % every == 0) {
            throw new IllegalStateException("dirtylimit: injected fault (fault-every=" + every + ")");
        }
    }

    @Override
    public void ringFull(int hook, int vcpu) {
        maybeFail();
        delegate.ringFull(hook, vcpu);
    }

    @Override
    public void dirtyPage(int hook, int vcpu, long value) {
        maybeFail();
        delegate.dirtyPage(hook, vcpu, value);
    }

    @Override
    public void store(int hook, int vcpu, long address, long size) {
        maybeFail();
        delegate.store(hook, vcpu, address, size);
    }

    @Override
    public void vcpuLoop(int hook, int vcpu) {
        maybeFail();
        delegate.vcpuLoop(hook, vcpu);
    }

    @Override
    public void vcpuStep(int hook, int vcpu) {
        maybeFail();
        delegate.vcpuStep(hook, vcpu);
    }

    // Migration calls pass through without injected faults: a lost migration-end would leave limits set.

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
