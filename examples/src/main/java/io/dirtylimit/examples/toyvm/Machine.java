package io.dirtylimit.examples.toyvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The toy VM: guest RAM, dirty tracking, vCPU threads, the reaper, and the migration slot. */
final class Machine {
    private static final long JOIN_MILLIS = 10_000;

    private final VmConfig config;
    private final Console console;
    private final GuestClock clock;
    private final GuestMemory memory;
    private final DirtyTracker tracker;
    private final RunControl runControl;
    private final List<Vcpu> vcpus;
    private final Reaper reaper;
    private final CountDownLatch quit = new CountDownLatch(1);

    /** Guards userPaused, migration and shutDown. */
    private final Object lock = new Object();
    private boolean userPaused;
    private Migration migration;
    private boolean shutDown;
    private DestinationRam destinationRam;

    Machine(VmConfig config, Console console, StatsSink stats) {
        this.config = config;
        this.console = console;
        this.clock = GuestClock.startingNow();
        this.memory = new GuestMemory(config.memBytes());
        this.tracker = new DirtyTracker(memory.pages());
        this.runControl = new RunControl(config.vcpus());
        this.vcpus = createVcpus();
        this.reaper = new Reaper(this, clock, stats);
    }

    private List<Vcpu> createVcpus() {
        List<Vcpu> list = new ArrayList<>();
        for (VcpuWorkload w : config.workloads()) {
            DirtyRing ring = config.ringless() ? null : new DirtyRing(config.ringSize());
            list.add(new Vcpu(w.vcpu(), w, memory, tracker, ring, runControl, clock, console));
        }
        return List.copyOf(list);
    }

    void start() {
        for (Vcpu vcpu : vcpus) {
            vcpu.start();
        }
        reaper.start();
        if (config.migrate() != null && config.migrateAfterSeconds() == 0) {
            startConfiguredMigration();
        }
    }

    /** Harvests every ring (or syncs the dirty log) into the VM bitmap. */
    void syncDirty() {
        if (config.ringless()) {
            tracker.syncLog();
            return;
        }
        for (Vcpu vcpu : vcpus) {
            tracker.harvest(vcpu.ring());
        }
    }

    /** Called by the reaper after each second's statistics. */
    void secondElapsed(long second) {
        if (config.migrate() != null && second == config.migrateAfterSeconds()) {
            startConfiguredMigration();
        }
        if (config.seconds() > 0 && second >= config.seconds()) {
            requestQuit();
        }
    }

    private void startConfiguredMigration() {
        try {
            migrate(config.migrate());
        } catch (MonitorException e) {
            console.error("migration: " + e.getMessage());
        }
    }

    // Run state

    /** Monitor {@code pause}: stops all vCPUs at their next slice boundary and waits for them. */
    void pause() throws MonitorException {
        synchronized (lock) {
            if (userPaused) {
                throw new MonitorException("the VM is already paused");
            }
            userPaused = true;
        }
        pauseVcpus();
    }

    /** Monitor {@code resume}. */
    void resume() throws MonitorException {
        synchronized (lock) {
            if (!userPaused) {
                throw new MonitorException("the VM is not paused");
            }
            userPaused = false;
        }
        resumeVcpus();
    }

    boolean userPaused() {
        synchronized (lock) {
            return userPaused;
        }
    }

    /** One more level of pause; returns once no vCPU is in guest code. */
    void pauseVcpus() {
        runControl.requestPause();
        for (Vcpu vcpu : vcpus) {
            vcpu.kick();
        }
        runControl.awaitAllParked();
    }

    void resumeVcpus() {
        runControl.release();
    }

    /** Stops one vCPU thread and flushes its ring; the vCPU does not come back. */
    void unplug(int index) throws MonitorException, InterruptedException {
        if (index < 0 || index >= vcpus.size()) {
            throw new MonitorException("no vCPU " + index + " (vCPUs are 0.." + (vcpus.size() - 1) + ")");
        }
        Vcpu vcpu = vcpus.get(index);
        if (vcpu.stopRequestedVolatile()) {
            throw new MonitorException("vCPU " + index + " is already unplugged");
        }
        vcpu.requestStop();
        if (!vcpu.join(JOIN_MILLIS)) {
            throw new MonitorException("vCPU " + index + " did not stop within " + JOIN_MILLIS / 1000 + " s");
        }
        if (vcpu.ring() != null) {
            tracker.harvest(vcpu.ring());
        }
    }

    /** Hot-plugs an unplugged vCPU back: a new thread {@code vcpu-N} runs it on from where it stopped. */
    void plug(int index) throws MonitorException {
        if (index < 0 || index >= vcpus.size()) {
            throw new MonitorException("no vCPU " + index + " (vCPUs are 0.." + (vcpus.size() - 1) + ")");
        }
        synchronized (lock) {
            if (shutDown) {
                throw new MonitorException("the VM is shutting down");
            }
            Vcpu vcpu = vcpus.get(index);
            Thread old = vcpu.thread();
            if (!vcpu.stopRequestedVolatile() || (old != null && old.isAlive())) {
                throw new MonitorException("vCPU " + index + " is plugged in (unplug it first)");
            }
            vcpu.replug();
        }
    }

    // Migration

    /** Starts a migration in its own thread; refused while one is running. */
    Migration migrate(MigrationParams params) throws MonitorException {
        synchronized (lock) {
            if (shutDown) {
                throw new MonitorException("the VM is shutting down");
            }
            if (migration != null && !migration.isFinished()) {
                throw new MonitorException("a migration is already in progress");
            }
            migration = new Migration(this, params, clock, console);
            migration.start();
            return migration;
        }
    }

    /** The destination's RAM, kept for later migrations (pass 1 overwrites all of it). */
    DestinationRam destinationRam() {
        synchronized (lock) {
            if (destinationRam == null) {
                destinationRam = new DestinationRam(memory.pages());
            }
            return destinationRam;
        }
    }

    /** The running or last migration, or null. */
    Migration migration() {
        synchronized (lock) {
            return migration;
        }
    }

    // Life cycle

    void requestQuit() {
        quit.countDown();
    }

    boolean awaitQuit(long timeout, TimeUnit unit) throws InterruptedException {
        return quit.await(timeout, unit);
    }

    void awaitQuit() throws InterruptedException {
        quit.await();
    }

    /** Cancels a migration, stops the vCPUs and the reaper. Idempotent. */
    void shutdown() throws InterruptedException {
        Migration m;
        synchronized (lock) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            m = migration;
        }
        quit.countDown();
        if (m != null) {
            m.cancel();
            m.join(JOIN_MILLIS);
        }
        for (Vcpu vcpu : vcpus) {
            vcpu.requestStop();
        }
        for (Vcpu vcpu : vcpus) {
            vcpu.join(JOIN_MILLIS);
        }
        reaper.stop();
    }

    // Views

    List<Vcpu> vcpus() {
        return vcpus;
    }

    Vcpu vcpu(int index) {
        return vcpus.get(index);
    }

    GuestMemory memory() {
        return memory;
    }

    DirtyTracker tracker() {
        return tracker;
    }

    VmConfig config() {
        return config;
    }

    List<VcpuSample> latestSamples() {
        return reaper.latest();
    }

    GuestClock clock() {
        return clock;
    }
}
