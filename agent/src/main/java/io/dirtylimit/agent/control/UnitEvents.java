package io.dirtylimit.agent.control;

import io.dirtylimit.agent.Log;

/**
 * JFR's view of the units ({@code vcpu-id space} objects, {@code first-dirty} threads): a periodic
 * event, once a second, per unit, with its index, its object's class and identity hash (or its
 * thread), its limit and its current rate, beside the core's per-index events. Registered the first
 * time an index gets a unit, on a thread of its own (registering costs JFR's start-up, a few hundred
 * milliseconds, which neither the emulator's start nor its vCPU should wait for); nothing is
 * registered in a JVM without the jdk.jfr module or in an emulator without units.
 */
public final class UnitEvents implements AutoCloseable {
    private static final boolean JFR = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private final LimitService limits;
    // Guarded by this.
    private boolean started;
    private boolean closed;
    private Runnable unregister;

    /**
     * Events of {@code limits}' units, not registered yet.
     *
     * @param limits the limit service, whose query rows carry the units
     */
    public UnitEvents(LimitService limits) {
        this.limits = limits;
    }

    /** Registers the periodic event in the background, once; later calls do nothing. */
    public synchronized void start() {
        if (started || closed || !JFR) {
            return;
        }
        started = true;
        Thread thread = new Thread(this::register, "dirtylimit-jfr");
        thread.setDaemon(true);
        thread.start();
    }

    private void register() {
        Runnable undo;
        try {
            undo = JfrUnitEvents.register(limits);
        } catch (Throwable failure) {
            Log.warn("the JFR unit event could not be registered: " + failure);
            return;
        }
        synchronized (this) {
            if (!closed) {
                unregister = undo;
                return;
            }
        }
        undo.run();
    }

    /** Removes the periodic event (detach), or keeps it from being registered. */
    @Override
    public void close() {
        Runnable undo;
        synchronized (this) {
            closed = true;
            undo = unregister;
            unregister = null;
        }
        if (undo != null) {
            try {
                undo.run();
            } catch (Throwable failure) {
                Log.warn("the JFR unit event could not be removed: " + failure);
            }
        }
    }

    /** Whether the periodic event is registered now (tests). */
    synchronized boolean registered() {
        return unregister != null;
    }
}
