package io.dirtylimit.agent.runtime;

import io.dirtylimit.bridge.BridgeHandler;
import java.util.function.Consumer;

/**
 * Chooses the handler the bridge holds: the {@link Dispatcher} while something needs dirty-page
 * counts (the limiter: a limit or a calc-dirty-rate; limits waiting for vCPUs not seen yet or for
 * every vCPU to come; the governor: a migration it watches), the {@link IdleHandler} otherwise,
 * wrapped by the {@link FaultInjector} when the test-only fault injection is on; none before the
 * hooks go live and after uninstall. Called by the limiter and the limit service with their locks
 * held, so it never calls back into either.
 */
public final class HandlerSwitch {
    private final Dispatcher dispatcher;
    private final IdleHandler idle;
    private final Consumer<BridgeHandler> bridge;
    // Guarded by this.
    private boolean live;
    private boolean limiterMeasuring;
    private boolean migrationWatched;
    private boolean limitsWaiting;
    /** counting=always: the dispatcher serves even when nothing needs counts. */
    private boolean countAlways;
    private long faultEvery;

    /**
     * A switch, not live yet.
     *
     * @param dispatcher the handler that counts
     * @param bridge installs a handler in the bridge ({@code Bridge::install}); null restores the no-op one
     */
    public HandlerSwitch(Dispatcher dispatcher, Consumer<BridgeHandler> bridge) {
        this.dispatcher = dispatcher;
        this.idle = new IdleHandler(dispatcher);
        this.bridge = bridge;
    }

    /** Installs the handler the state asks for, and keeps it current from now on. */
    public synchronized void goLive() {
        live = true;
        installHandler();
    }

    /** The no-op handler from now on: hooks still inlined do nothing. */
    public synchronized void goDead() {
        live = false;
        bridge.accept(null);
    }

    /** @param measuring whether the limiter needs page counts (a limit set, a calc running) */
    public synchronized void limiterMeasuring(boolean measuring) {
        limiterMeasuring = measuring;
        installHandler();
    }

    /** @param watched whether the migration governor watches a migration */
    public synchronized void migrationWatched(boolean watched) {
        migrationWatched = watched;
        installHandler();
    }

    /** @param waiting whether limits wait for vCPUs not seen yet (they are seen when they dirty memory) */
    public synchronized void limitsWaiting(boolean waiting) {
        limitsWaiting = waiting;
        installHandler();
    }

    /** @param always counting=always (true) or auto */
    public synchronized void countAlways(boolean always) {
        countAlways = always;
        installHandler();
    }

    /** @return whether counting=always is in force */
    public synchronized boolean countAlways() {
        return countAlways;
    }

    /** @param every test-only fault injection: a failure every {@code every} hook calls; 0 turns it off */
    public synchronized void faultEvery(long every) {
        faultEvery = every;
        installHandler();
    }

    /** @return the fault injection's period, 0 when off */
    public synchronized long faultEvery() {
        return faultEvery;
    }

    /** @return whether the hooks count dirty pages now */
    public synchronized boolean counting() {
        return countAlways || limiterMeasuring || limitsWaiting || migrationWatched;
    }

    private void installHandler() {
        if (!live) {
            return;
        }
        BridgeHandler handler = counting() ? dispatcher : idle;
        bridge.accept(faultEvery > 0 ? new FaultInjector(handler, faultEvery) : handler);
    }
}
