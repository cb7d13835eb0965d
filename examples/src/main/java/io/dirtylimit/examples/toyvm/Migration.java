package io.dirtylimit.examples.toyvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Pre-copy live migration to an in-process destination (a second guest RAM) over a
 * {@link BandwidthLink}. Pass 1 sends all RAM; each later pass syncs the dirty bitmap (harvests
 * every ring, takes the VM bitmap) and sends the pages dirtied meanwhile. Once the remaining
 * dirty data fits in bandwidth x downtime, the vCPUs are paused, a final sync is sent, the
 * destination is compared with the source, and the vCPUs resume (standing for the destination
 * taking over). Gives up after max-passes passes or max-seconds.
 */
final class Migration implements Runnable {
    /** One pre-copy pass, as {@link #passCompleted} saw it. */
    record Pass(int pass, long bytesSent, long bytesDirtied, long remainingDirtyBytes, long millis) {}

    private final Machine machine;
    private final MigrationParams params;
    private final GuestClock clock;
    private final Console console;
    private final CompletableFuture<MigrationResult> result = new CompletableFuture<>();
    /** Guarded by itself. */
    private final List<Pass> passes = new ArrayList<>();
    /** Written by the cancelling thread, read by the migration thread. */
    private volatile boolean cancelRequestedVolatile;
    /** Written by the migration thread, read by the monitor. */
    private volatile String statusVolatile = "setup";
    private volatile Thread threadVolatile;

    /** Written by the migration thread, read by the monitor. */
    private volatile long startNanosVolatile;
    /** Written by the migration thread when it ends (0 until then), read by the monitor. */
    private volatile long endNanosVolatile;
    private long passStartNanos;
    private long bytesSent;

    Migration(Machine machine, MigrationParams params, GuestClock clock, Console console) {
        this.machine = machine;
        this.params = params;
        this.clock = clock;
        this.console = console;
    }

    void start() {
        Thread t = new Thread(this, "migration");
        t.setDaemon(true);
        threadVolatile = t;
        t.start();
    }

    @Override
    public void run() {
        startNanosVolatile = clock.nanos();
        MigrationResult r;
        try {
            migrationStarted(params.bandwidthBytesPerSecond(), params.downtimeMillis());
            r = migrate();
        } catch (OutOfMemoryError e) {
            console.error("migration: cannot allocate the destination RAM (" + Units.formatSize(machine.memory().size())
                    + " off-heap): " + e.getMessage() + "; raise -XX:MaxDirectMemorySize or -Xmx");
            r = result(false, "failed", 0, null);
        } catch (Aborted a) {
            r = result(false, a.reason, 0, null);
        } catch (RuntimeException e) {
            console.error("migration: failed: " + e);
            r = result(false, "failed", 0, null);
        }
        endNanosVolatile = clock.nanos();
        statusVolatile = r.converged() ? "completed" : r.reason();
        migrationFinished(r.converged());
        console.reply(r.toJson());
        result.complete(r);
    }

    private MigrationResult migrate() {
        DestinationRam destination = machine.destinationRam();
        long[] dirty = new long[machine.tracker().bitmapWords()];
        startDirtyTracking(dirty);
        statusVolatile = "active";
        passStartNanos = clock.nanos();
        BandwidthLink link = new BandwidthLink(params.bandwidthBytesPerSecond(), clock, this);
        long sent = sendAll(destination, link);
        for (int pass = 1; ; pass++) {
            long dirtyBytes = syncInto(dirty);
            recordPass(pass, sent, dirtyBytes);
            if (dirtyBytes <= params.downtimeBudgetBytes()) {
                return stopAndCopy(destination, dirty, link);
            }
            checkLimits(pass);
            passStartNanos = clock.nanos();
            sent = sendPages(dirty, destination, link);
        }
    }

    /** From here on every store is reported again: pass 1 sends all RAM anyway. */
    private void startDirtyTracking(long[] scratch) {
        syncInto(scratch);
        Arrays.fill(scratch, 0);
    }

    private long syncInto(long[] dirty) {
        machine.syncDirty();
        machine.tracker().takeVmBitmap(dirty);
        long pages = 0;
        for (long word : dirty) {
            pages += Long.bitCount(word);
        }
        return pages * GuestMemory.PAGE_SIZE;
    }

    private void recordPass(int pass, long sent, long dirtyBytes) {
        long millis = (clock.nanos() - passStartNanos) / 1_000_000;
        synchronized (passes) {
            passes.add(new Pass(pass, sent, dirtyBytes, dirtyBytes, millis));
        }
        console.info(String.format("migration: pass %d: sent %.1f MiB in %d ms, dirtied %.1f MiB meanwhile",
                pass, Units.bytesToMiB(sent), millis, Units.bytesToMiB(dirtyBytes)));
        passCompleted(pass, sent, dirtyBytes, dirtyBytes);
    }

    private void checkLimits(int pass) {
        if (pass >= params.maxPasses()) {
            throw new Aborted("max-passes");
        }
        if (clock.nanos() - startNanosVolatile >= TimeUnit.SECONDS.toNanos(params.maxSeconds())) {
            throw new Aborted("max-time");
        }
    }

    /** Final phase: vCPUs paused, last sync, send, compare, resume. */
    private MigrationResult stopAndCopy(DestinationRam destination, long[] dirty, BandwidthLink link) {
        statusVolatile = "stop-and-copy";
        long downStart = clock.nanos();
        machine.pauseVcpus();
        try {
            syncInto(dirty); // ORs the final harvest into what is still unsent
            sendFinal(dirty, destination, link);
            long downtime = clock.nanos() - downStart;
            long different = destination.firstDifferentPage(machine.memory());
            if (different >= 0) {
                console.error(String.format("migration: destination differs from source at page %d (0x%x)",
                        different, different << GuestMemory.PAGE_SHIFT));
            }
            return result(true, "converged", downtime, different < 0);
        } finally {
            machine.resumeVcpus();
        }
    }

    private long sendAll(DestinationRam destination, BandwidthLink link) {
        long pages = machine.memory().pages();
        for (long page = 0; page < pages; page++) {
            sendPage(page, destination, link, true);
        }
        return pages * GuestMemory.PAGE_SIZE;
    }

    /** Sends (and clears) every page set in {@code dirty}; returns the bytes sent. */
    private long sendPages(long[] dirty, DestinationRam destination, BandwidthLink link) {
        return send(dirty, destination, link, true);
    }

    /** The stop-and-copy send: not abortable, the guest is already paused. */
    private void sendFinal(long[] dirty, DestinationRam destination, BandwidthLink link) {
        send(dirty, destination, link, false);
    }

    private long send(long[] dirty, DestinationRam destination, BandwidthLink link, boolean abortable) {
        long sent = 0;
        for (int i = 0; i < dirty.length; i++) {
            long word = dirty[i];
            dirty[i] = 0;
            while (word != 0) {
                sendPage(((long) i << 6) + Long.numberOfTrailingZeros(word), destination, link, abortable);
                sent += GuestMemory.PAGE_SIZE;
                word &= word - 1;
            }
        }
        return sent;
    }

    private void sendPage(long page, DestinationRam destination, BandwidthLink link, boolean abortable) {
        if (abortable) {
            throwIfAborted();
        }
        link.transmit(GuestMemory.PAGE_SIZE);
        destination.receive(page, machine.memory());
        bytesSent += GuestMemory.PAGE_SIZE;
    }

    private void throwIfAborted() {
        if (cancelRequestedVolatile) {
            throw new Aborted("cancelled");
        }
        if (clock.nanos() - startNanosVolatile >= TimeUnit.SECONDS.toNanos(params.maxSeconds())) {
            throw new Aborted("max-time");
        }
    }

    /** True when a sleeping send should wake up and let the migration end. */
    boolean abortRequested() {
        return cancelRequestedVolatile;
    }

    private MigrationResult result(boolean converged, String reason, long downtimeNanos, Boolean identical) {
        int n;
        synchronized (passes) {
            n = passes.size();
        }
        return new MigrationResult(converged, reason, (clock.nanos() - startNanosVolatile) / 1_000_000,
                downtimeNanos / 1_000_000, n, bytesSent, identical, params);
    }

    // Hook points: called by the migration thread, no behaviour of their own.

    /** The migration starts, with its channel bandwidth (bytes/s) and downtime limit (ms). */
    void migrationStarted(long bandwidthBytesPerSec, long downtimeMillis) {}

    /** A pre-copy pass ended with its sync: what it sent, and what was dirtied meanwhile. */
    void passCompleted(int pass, long bytesSent, long bytesDirtiedDuringPass, long remainingDirtyBytes) {}

    /** The migration ended: converged, or gave up, failed or was cancelled. */
    void migrationFinished(boolean converged) {}

    void cancel() {
        cancelRequestedVolatile = true;
        Thread t = threadVolatile;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Waits for the result; null on timeout. */
    MigrationResult awaitResult(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            return result.get(timeout, unit);
        } catch (TimeoutException e) {
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    boolean isFinished() {
        return result.isDone();
    }

    String status() {
        return statusVolatile;
    }

    MigrationParams params() {
        return params;
    }

    List<Pass> passes() {
        synchronized (passes) {
            return List.copyOf(passes);
        }
    }

    long elapsedMillis() {
        long end = endNanosVolatile;
        return ((end != 0 ? end : clock.nanos()) - startNanosVolatile) / 1_000_000;
    }

    boolean join(long millis) throws InterruptedException {
        Thread t = threadVolatile;
        if (t != null) {
            t.join(millis);
            return !t.isAlive();
        }
        return true;
    }

    /** Ends the migration early with a reason; unwinds to {@link #run}. */
    private static final class Aborted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String reason;

        Aborted(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }
}
