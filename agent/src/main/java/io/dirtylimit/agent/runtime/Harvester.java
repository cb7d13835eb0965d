package io.dirtylimit.agent.runtime;

import io.dirtylimit.agent.Log;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Clears the agent's page trackers every harvest interval, on one daemon thread. */
public final class Harvester implements AutoCloseable {
    private final ScheduledExecutorService executor;

    private Harvester(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /**
     * Starts harvesting {@code trackers} every {@code interval}.
     *
     * @param trackers the trackers
     * @param interval the profile's harvest interval
     * @return the harvester, or null when there is nothing to harvest
     */
    public static Harvester start(List<PageTracker> trackers, Duration interval) {
        if (trackers.isEmpty()) {
            return null;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dirtylimit-harvest");
            thread.setDaemon(true);
            return thread;
        });
        long nanos = interval.toNanos();
        executor.scheduleAtFixedRate(() -> harvestAll(trackers), nanos, nanos, TimeUnit.NANOSECONDS);
        return new Harvester(executor);
    }

    private static void harvestAll(List<PageTracker> trackers) {
        for (PageTracker tracker : trackers) {
            try {
                tracker.harvest();
            } catch (Throwable failure) {
                Log.warn("harvesting page tracker '" + tracker.name() + "' failed: " + failure);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
