package io.dirtylimit.agent;

import io.dirtylimit.bridge.BridgeHandler;
import java.util.function.Consumer;

/**
 * Chooses the handler the bridge holds: the {@link Dispatcher} while something needs dirty-page
 * counts (the limiter: a limit or a calc-dirty-rate; limits waiting for vCPUs not seen yet; the
 * governor: a migration it watches), the
 * {@link IdleHandler} otherwise, wrapped by the {@link FaultInjector} when fault injection is on;
 * none before the hooks go live and after uninstall. Called by the limiter with its lock held,
 * so it never calls back into the limiter or the governor.
 */
final class HandlerSwitch {
    private final Dispatcher dispatcher;
    private final IdleHandler idle;
    private final Consumer<BridgeHandler> bridge;
    // Guarded by this.
    private boolean live;
    private boolean limiterMeasuring;
    private boolean migrationWatched;
    private boolean limitsPending;
    /** counting=always: the dispatcher serves even when nothing needs counts. */
    private boolean countAlways;
    private long faultEvery;

    HandlerSwitch(Dispatcher dispatcher, Consumer<BridgeHandler> bridge) {
        this.dispatcher = dispatcher;
        this.idle = new IdleHandler(dispatcher);
        this.bridge = bridge;
    }

    synchronized void goLive() {
        live = true;
        installHandler();
    }

    /** The no-op handler from now on: hooks still inlined do nothing. */
    synchronized void goDead() {
        live = false;
        bridge.accept(null);
    }

    synchronized void limiterMeasuring(boolean measuring) {
        limiterMeasuring = measuring;
        installHandler();
    }

    synchronized void migrationWatched(boolean watched) {
        migrationWatched = watched;
        installHandler();
    }

    synchronized void limitsPending(boolean pending) {
        limitsPending = pending;
        installHandler();
    }

    synchronized void countAlways(boolean always) {
        countAlways = always;
        installHandler();
    }

    synchronized boolean countAlways() {
        return countAlways;
    }

    /** Fault injection on ({@code every} > 0) or off. */
    synchronized void faultEvery(long every) {
        faultEvery = every;
        installHandler();
    }

    synchronized long faultEvery() {
        return faultEvery;
    }

    /** Whether the hooks count dirty pages now. */
    synchronized boolean counting() {
        return countAlways || limiterMeasuring || limitsPending || migrationWatched;
    }

    private void installHandler() {
        if (!live) {
            return;
        }
        BridgeHandler handler = counting() ? dispatcher : idle;
        bridge.accept(faultEvery > 0 ? new FaultInjector(handler, faultEvery) : handler);
    }
}
