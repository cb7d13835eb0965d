package io.dirtylimit.agent.runtime;

import io.dirtylimit.bridge.BridgeHandler;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only ({@code fault-every=N}, documented as such): throws from every Nth hook call of a vCPU
 * role before the real handler runs, to show that a failure inside the agent's hook never reaches
 * the emulator. Migration calls pass through untouched: a lost migration-end would leave limits set.
 */
final class FaultInjector extends ForwardingHandler {
    private final long every;
    private final AtomicLong calls = new AtomicLong();

    FaultInjector(BridgeHandler delegate, long every) {
        super(delegate);
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
        super.ringFull(hook, vcpu);
    }

    @Override
    public void dirtyPage(int hook, int vcpu, long value) {
        maybeFail();
        super.dirtyPage(hook, vcpu, value);
    }

    @Override
    public void store(int hook, int vcpu, long address, long size) {
        maybeFail();
        super.store(hook, vcpu, address, size);
    }

    @Override
    public void dirtyPageIn(int hook, int vcpu, Object space, long value) {
        maybeFail();
        super.dirtyPageIn(hook, vcpu, space, value);
    }

    @Override
    public void storeIn(int hook, int vcpu, Object space, long address, long size) {
        maybeFail();
        super.storeIn(hook, vcpu, space, address, size);
    }

    @Override
    public void vcpuLoop(int hook, int vcpu) {
        maybeFail();
        super.vcpuLoop(hook, vcpu);
    }

    @Override
    public void vcpuStep(int hook, int vcpu) {
        maybeFail();
        super.vcpuStep(hook, vcpu);
    }
}
