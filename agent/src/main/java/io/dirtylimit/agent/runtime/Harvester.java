package io.dirtylimit.agent.runtime;

import io.dirtylimit.agent.Log;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Clears the agent's page tracking every harvest interval, on one daemon thread: every named space
 * and every object space (dropping those whose objects were collected).
 */
public final class Harvester implements AutoCloseable {
    private final ScheduledExecutorService executor;

    private Harvester(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /**
     * Starts harvesting {@code dispatcher}'s address spaces every {@code interval}.
     *
     * @param dispatcher the dispatcher whose spaces to harvest
     * @param interval the profile's harvest interval
     * @return the harvester, or null when there is nothing to harvest
     */
    public static Harvester start(Dispatcher dispatcher, Duration interval) {
        if (!dispatcher.tracksPages()) {
            return null;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dirtylimit-harvest");
            thread.setDaemon(true);
            return thread;
        });
        long nanos = interval.toNanos();
        executor.scheduleAtFixedRate(() -> harvest(dispatcher), nanos, nanos, TimeUnit.NANOSECONDS);
        return new Harvester(executor);
    }

    /** One harvest; a failure is logged and the next one runs as planned (a scheduled task that throws would stop). */
    private static void harvest(Dispatcher dispatcher) {
        try {
            dispatcher.harvest();
        } catch (Throwable failure) {
            Log.warn("harvesting the page tracking failed: " + failure);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
