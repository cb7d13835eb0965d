package io.dirtylimit.agent.instrument;

import fixtures.FixtureVcpu;
import io.dirtylimit.bridge.BridgeHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A bridge handler that writes down every call, as "role hook vcpu values... @thread". */
final class RecordingHandler extends BridgeHandler {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> faults = new CopyOnWriteArrayList<>();
    volatile RuntimeException throwOnDirtyPage;

    @Override
    public void ringFull(int hook, int vcpu) {
        calls.add("ring-full " + hook + " " + vcpu + " after=" + FixtureVcpu.allRingFulls + " @" + Thread.currentThread().getName());
    }

    @Override
    public void dirtyPage(int hook, int vcpu, long value) {
        calls.add("dirty-page " + hook + " " + vcpu + " " + value + " @" + Thread.currentThread().getName());
        if (throwOnDirtyPage != null) {
            throw throwOnDirtyPage;
        }
    }

    @Override
    public void store(int hook, int vcpu, long address, long size) {
        calls.add("store " + hook + " " + vcpu + " " + address + " " + size + " @" + Thread.currentThread().getName());
    }

    @Override
    public void dirtyPageIn(int hook, int vcpu, Object space, long value) {
        calls.add("dirty-page-in " + hook + " " + vcpu + " " + name(space) + " " + value + " @" + Thread.currentThread().getName());
    }

    @Override
    public void storeIn(int hook, int vcpu, Object space, long address, long size) {
        calls.add("store-in " + hook + " " + vcpu + " " + name(space) + " " + address + " " + size + " @" + Thread.currentThread().getName());
    }

    /** The object as its class's simple name and identity hash: tells two objects of one class apart. */
    static String name(Object space) {
        return space == null ? "null" : space.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(space));
    }

    @Override
    public void vcpuLoop(int hook, int vcpu) {
        calls.add("vcpu-loop " + hook + " " + vcpu + " @" + Thread.currentThread().getName());
    }

    @Override
    public void fault(int hook, Throwable failure) {
        faults.add(hook + " " + failure.getClass().getSimpleName());
    }
}
