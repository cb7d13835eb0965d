package io.dirtylimit.examples.toyvm;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * One virtual CPU: a thread named {@code vcpu-N} that runs its guest program in slices and
 * handles each exit, like a KVM vCPU thread around {@code KVM_RUN}.
 *
 * <p>Stores go through {@link #store}: data first ({@link GuestMemory#write64}), then dirty
 * tracking; a page newly dirtied is reported to {@link #pageDirtied}, which pushes it into this
 * vCPU's dirty ring (or, ring-less, logs it). When the ring fills, the slice ends with a
 * ring-full exit and {@link #handleRingFull} harvests it before the vCPU re-enters.
 */
final class Vcpu implements Runnable, GuestBus {
    /** Instructions per slice: bounds how late a vCPU notices pause and stop requests. */
    static final int SLICE_INSTRUCTIONS = 4096;
    private static final long NOT_IDLE = Long.MIN_VALUE;

    final int index;
    private final VcpuWorkload workload;
    private final GuestMemory memory;
    private final DirtyTracker tracker;
    /** Null in ring-less mode ({@code --ring 0}): newly dirtied pages go to the dirty log. */
    private final DirtyRing ring;
    private final RunControl runControl;
    private final GuestClock clock;
    private final Console console;
    private final Interpreter cpu;

    private final OrderedCounter instructions = new OrderedCounter();
    private final OrderedCounter ringFullExits = new OrderedCounter();
    private final OrderedCounter loggedPages = new OrderedCounter();

    /** vCPU thread only: set by a push that filled the ring, cleared at the ring-full exit. */
    private boolean ringFullPending;
    /** vCPU thread only: guest clock time when the current PAUSE/HALT ends. */
    private long idleUntilNanos = NOT_IDLE;
    /** vCPU thread only. */
    private VcpuState runState = VcpuState.RUNNING;

    /** Written by the vCPU thread, read by the monitor. */
    private volatile VcpuState stateVolatile = VcpuState.CREATED;
    /** Written by any thread (unplug, quit), read by the vCPU thread. */
    private volatile boolean stopRequestedVolatile;
    private volatile Thread threadVolatile;

    Vcpu(int index, VcpuWorkload workload, GuestMemory memory, DirtyTracker tracker, DirtyRing ring,
            RunControl runControl, GuestClock clock, Console console) {
        this(index, workload, GuestPrograms.build(workload), memory, tracker, ring, runControl, clock, console);
    }

    /** A vCPU running {@code program} instead of its workload's (tests). */
    Vcpu(int index, VcpuWorkload workload, Program program, GuestMemory memory, DirtyTracker tracker, DirtyRing ring,
            RunControl runControl, GuestClock clock, Console console) {
        this.index = index;
        this.workload = workload;
        this.memory = memory;
        this.tracker = tracker;
        this.ring = ring;
        this.runControl = runControl;
        this.clock = clock;
        this.console = console;
        this.cpu = new Interpreter(program, this);
    }

    void start() {
        Thread t = new Thread(this, "vcpu-" + index);
        t.setDaemon(true);
        threadVolatile = t;
        t.start();
    }

    /**
     * Hot-plug after an unplug: the same vCPU (its guest program goes on where it stopped) on a new
     * thread with the same name, as a VMM creates a new vCPU thread for a re-added CPU index.
     * Call only once the old thread has ended.
     */
    void replug() {
        stopRequestedVolatile = false;
        stateVolatile = VcpuState.CREATED;
        runControl.vcpuEntered();
        start();
    }

    /** The execution loop: slices of guest code and their exits, until stopped. */
    @Override
    public void run() {
        try {
            // Running from here on (a vCPU that never idles or pauses, e.g. compute, would stay "created").
            setState(idleUntilNanos == NOT_IDLE ? VcpuState.RUNNING : runState);
            while (!stopRequestedVolatile) {
                if (runControl.pauseRequestedVolatile()) {
                    parkWhilePaused();
                } else if (idleUntilNanos != NOT_IDLE) {
                    idle();
                } else {
                    runSliceAndHandleExit();
                }
            }
        } finally {
            stateVolatile = VcpuState.UNPLUGGED;
            runControl.vcpuExited();
        }
    }

    /** One trip into guest code and back: a slice, then its exit. */
    ExitReason runSliceAndHandleExit() {
        ExitReason reason = cpu.runSlice(SLICE_INSTRUCTIONS);
        handleExit(reason);
        return reason;
    }

    private void handleExit(ExitReason reason) {
        instructions.addOrdered(cpu.sliceInstructions());
        switch (reason) {
            case SLICE_END -> { }
            case RING_FULL -> exitRingFull();
            case IDLE -> idleUntilNanos = saturatedAdd(clock.nanos(), cpu.pauseNanos());
            case IO -> handleIo(cpu.ioPort(), cpu.ioValue());
            case HALT -> haltForever(VcpuState.HALTED);
            case FAULT -> {
                console.error("vcpu-" + index + ": guest fault: " + cpu.faultMessage() + "; vCPU stopped");
                haltForever(VcpuState.FAULTED);
            }
        }
    }

    /**
     * The device model: one port, where a once writer reports its pass. A write to any other
     * port is ignored, as on a real bus, with a note on stderr.
     */
    private void handleIo(int port, long value) {
        if (port == GuestPrograms.ONCE_DONE_PORT) {
            console.reply(onceLine(index, workload.size(), value));
        } else {
            console.error("vcpu-" + index + ": guest wrote " + value + " to I/O port 0x" + Integer.toHexString(port)
                    + ", which has no device; ignored");
        }
    }

    /**
     * The line a once writer's vCPU prints on stdout (after {@code "# "} with {@code --stats csv}):
     * {@code vcpu N: wrote SIZE MiB once in SECONDS s}, SIZE a whole number or two decimals,
     * SECONDS three decimals, no commas.
     */
    static String onceLine(int vcpu, long bytes, long nanos) {
        return String.format(Locale.ROOT, "vcpu %d: wrote %s MiB once in %.3f s", vcpu, Units.formatMiB(bytes), nanos / 1e9);
    }

    /** The ring-full exit: counted, then handled. */
    void exitRingFull() {
        ringFullPending = false;
        ringFullExits.incrementOrdered();
        handleRingFull();
    }

    /** Ring-full exit: harvest this vCPU's ring into the VM bitmap and re-protect its pages. */
    void handleRingFull() {
        tracker.harvest(ring);
    }

    /** Store path: the data, then dirty tracking. True when the ring is full (exit the slice). */
    @Override
    public boolean store(long address, long value) {
        memory.write64(address, value);
        long page = address >>> GuestMemory.PAGE_SHIFT;
        if (tracker.claimAfterStore(page)) {
            pageDirtied(page);
        }
        return ringFullPending;
    }

    /** Called once per page newly dirtied by this vCPU (first store since re-protection). */
    void pageDirtied(long pageNumber) {
        if (ring != null) {
            if (ring.push(pageNumber)) {
                ringFullPending = true;
            }
        } else {
            tracker.logDirty(pageNumber);
            loggedPages.incrementOrdered();
        }
    }

    @Override
    public long load(long address) {
        return memory.read64(address);
    }

    @Override
    public long clockNanos() {
        return clock.nanos();
    }

    private void idle() {
        setState(runState);
        while (!stopRequestedVolatile && !runControl.pauseRequestedVolatile()) {
            long remaining = idleUntilNanos - clock.nanos();
            if (remaining <= 0) {
                idleUntilNanos = NOT_IDLE;
                setState(VcpuState.RUNNING);
                return;
            }
            LockSupport.parkNanos(this, remaining);
        }
    }

    private void haltForever(VcpuState why) {
        runState = why;
        idleUntilNanos = Long.MAX_VALUE;
    }

    private void parkWhilePaused() {
        setState(VcpuState.PAUSED);
        runControl.parkWhilePaused(this);
        setState(idleUntilNanos == NOT_IDLE ? VcpuState.RUNNING : runState);
    }

    private void setState(VcpuState next) {
        if (stateVolatile != next) {
            stateVolatile = next;
        }
    }

    /** Asks the vCPU to leave its loop; its thread then ends. */
    void requestStop() {
        stopRequestedVolatile = true;
        kick();
        runControl.wakeAll();
    }

    /** Wakes the vCPU if it idles in a guest PAUSE, so it sees a request at once. */
    void kick() {
        Thread t = threadVolatile;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    boolean stopRequestedVolatile() {
        return stopRequestedVolatile;
    }

    /** Waits for the vCPU thread to end; false on timeout. */
    boolean join(long millis) throws InterruptedException {
        Thread t = threadVolatile;
        if (t == null) {
            return true;
        }
        t.join(millis);
        return !t.isAlive();
    }

    Thread thread() {
        return threadVolatile;
    }

    VcpuState state() {
        return stateVolatile;
    }

    VcpuWorkload workload() {
        return workload;
    }

    DirtyRing ring() {
        return ring;
    }

    /** Pages this vCPU's statistics count: harvested from its ring, or logged ring-less. */
    long statPagesAcquire() {
        return ring != null ? ring.harvestedPagesAcquire() : loggedPages.getAcquire();
    }

    long instructionsAcquire() {
        return instructions.getAcquire();
    }

    long ringFullExitsAcquire() {
        return ringFullExits.getAcquire();
    }

    /** For tests: the processor core (only touch it while the vCPU thread is not running). */
    Interpreter cpu() {
        return cpu;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
