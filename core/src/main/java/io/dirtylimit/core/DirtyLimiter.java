package io.dirtylimit.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Per-vCPU dirty-page-rate limits: the limiter API, named after QEMU's QMP commands.
 *
 * <p>Rates are in MB/s where MB means MiB (2^20 bytes), as in QEMU; fractional limits are fine. A
 * limit of 0 means cancel. One controller thread ({@code dirtylimit-controller}, a daemon) serves
 * every vCPU: it is started when the first limit is set and stopped when the last one is cancelled.
 * Each period it measures the dirty rate of every registered vCPU and lets the policy adjust the
 * sleep of every limited one. Changes to a limit, the period, the quantum or the policy take effect
 * at the next period. Bad input is refused with an {@link IllegalArgumentException} whose message
 * says what was wrong.
 *
 * <p>The limit guarantee ({@link GuardMode}, {@link #setGuard}) adds a pacing clock per vCPU under
 * the controller: by default on for every policy but the QEMU baselines, it holds a limit from the
 * first page after it applies, where the controller alone needs a period's measurement first.
 *
 * <p>The emulator side registers vCPUs ({@link #registerVcpu}) and calls the hot-path methods of
 * {@link Vcpu} from the vCPU's own thread. Every other method may be called from any thread.
 *
 * <p>For simulation and tests, {@link Builder#manualControl()} builds a limiter without a controller
 * thread; {@link #runControllerPeriod()} then runs one period on the injected {@link Ticker}'s time.
 */
public final class DirtyLimiter implements AutoCloseable {

    /** Default sampling and control period. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);
    /** Shortest accepted period. */
    public static final Duration MIN_PERIOD = Duration.ofMillis(10);
    /** Longest accepted period. */
    public static final Duration MAX_PERIOD = Duration.ofSeconds(10);
    /** Name of the default policy. */
    public static final String DEFAULT_POLICY = "model";
    /** Default pages between quantum throttle points: 256 pages, 1 MiB of 4 KiB pages. */
    public static final int DEFAULT_QUANTUM_PAGES = 256;
    /** Default guest page size, bytes. */
    public static final int DEFAULT_PAGE_SIZE = 4096;
    /** Shortest window {@link #calcDirtyRate} accepts. */
    public static final Duration MIN_CALC_WINDOW = Duration.ofMillis(10);
    /** Longest window {@link #calcDirtyRate} accepts (QEMU's calc-time limit). */
    public static final Duration MAX_CALC_WINDOW = Duration.ofSeconds(60);

    private final Ticker ticker;
    private final Sleeper sleeper;
    private final int pageSize;
    private final boolean manualControl;
    private final Policies policies;
    private final Controller controller;
    private final MeasuringListener measuringListener;
    private final Object lock = new Object();

    // Guarded by lock, except where a field says otherwise.
    private final TreeMap<Integer, Vcpu> vcpus = new TreeMap<>();
    /** Read by the controller thread to time its periods. */
    private volatile long periodNanosVolatile;
    private String policyName;
    private ThrottlePolicy<?> policy;
    private int quantumPages;
    private GuardMode guardMode;
    /** Credit a vCPU's pacing clock keeps while it waits for a shared thread; 0: one point's pages. */
    private final long sharedThreadCreditNanos;
    /** The limit of {@link #setAllVcpuDirtyLimit}, also applied to vCPUs registered later; 0: none. */
    private double allVcpuLimitMBps;
    private int lastEpoch;
    private boolean controllerActive;
    /** calc-dirty-rate windows open now. */
    private int calcsOpen;
    /** What {@link #measuringListener} was last told. */
    private boolean measuringTold;
    private ControllerThread controllerThread;
    private boolean closed;

    private DirtyLimiter(Builder builder) {
        this.ticker = builder.ticker;
        this.sleeper = builder.sleeper;
        this.pageSize = builder.pageSize;
        this.manualControl = builder.manualControl;
        this.policies = Policies.of(builder.policies);
        this.controller = new Controller(ticker, pageSize);
        this.measuringListener = builder.measuringListener;
        this.periodNanosVolatile = builder.period.toNanos();
        this.policyName = policies.checkKnown(builder.policy);
        this.policy = policies.create(policyName);
        this.quantumPages = builder.quantumPages;
        this.guardMode = builder.guardMode;
        this.sharedThreadCreditNanos = builder.sharedThreadCredit.toNanos();
    }

    /** A builder with real time, the default period, policy and quantum. */
    public static Builder builder() {
        return new Builder();
    }

    /** A limiter with every default: real time, 1 s period, the {@code model} policy. */
    public static DirtyLimiter create() {
        return builder().build();
    }

    /** The names of the built-in policies, which {@link #setPolicy} accepts. */
    public static Set<String> policyNames() {
        return Policies.builtInNames();
    }

    /** The names this limiter's {@link #setPolicy} accepts: the built-in ones and any added. */
    public Set<String> availablePolicies() {
        return policies.names();
    }

    /**
     * Registers vCPU {@code cpuIndex} (idempotent: returns the existing one). A limit set for all
     * vCPUs with {@link #setAllVcpuDirtyLimit} also applies to vCPUs registered later.
     */
    public Vcpu registerVcpu(int cpuIndex) {
        checkIndex(cpuIndex);
        synchronized (lock) {
            Vcpu existing = vcpus.get(cpuIndex);
            if (existing != null) {
                return existing;
            }
            Vcpu vcpu = new Vcpu(cpuIndex, ticker, sleeper);
            vcpus.put(cpuIndex, vcpu);
            if (controllerActive) {
                controller.startSampling(vcpu, ticker.nanoTime());
            }
            if (allVcpuLimitMBps > 0) {
                applyLimit(vcpu, allVcpuLimitMBps);
                updateController();
            }
            return vcpu;
        }
    }

    /** Unregisters a vCPU whose thread is gone (hot-unplug); wakes it if it sleeps. No-op if unknown. */
    public void unregisterVcpu(int cpuIndex) {
        synchronized (lock) {
            Vcpu vcpu = vcpus.remove(cpuIndex);
            if (vcpu != null) {
                cancelLimit(vcpu);
                updateController();
            }
        }
    }

    /** The registered vCPU with this index, or {@code null}. */
    public Vcpu vcpu(int cpuIndex) {
        synchronized (lock) {
            return vcpus.get(cpuIndex);
        }
    }

    /** QEMU {@code set-vcpu-dirty-limit cpu-index=N}: limits one registered vCPU; 0 cancels. */
    public void setVcpuDirtyLimit(int cpuIndex, double mbPerSec) {
        checkRate(mbPerSec);
        if (mbPerSec == 0) {
            cancelVcpuDirtyLimit(cpuIndex);
            return;
        }
        synchronized (lock) {
            checkOpen();
            applyLimit(registered(cpuIndex), mbPerSec);
            updateController();
        }
    }

    /** QEMU {@code set-vcpu-dirty-limit} without cpu-index: every vCPU, now and registered later; 0 cancels. */
    public void setAllVcpuDirtyLimit(double mbPerSec) {
        checkRate(mbPerSec);
        if (mbPerSec == 0) {
            cancelAllVcpuDirtyLimit();
            return;
        }
        synchronized (lock) {
            checkOpen();
            allVcpuLimitMBps = mbPerSec;
            for (Vcpu vcpu : vcpus.values()) {
                applyLimit(vcpu, mbPerSec);
            }
            updateController();
        }
    }

    /** QEMU {@code cancel-vcpu-dirty-limit cpu-index=N}. */
    public void cancelVcpuDirtyLimit(int cpuIndex) {
        synchronized (lock) {
            cancelLimit(registered(cpuIndex));
            updateController();
        }
    }

    /** QEMU {@code cancel-vcpu-dirty-limit} without cpu-index; also ends a limit for all vCPUs. */
    public void cancelAllVcpuDirtyLimit() {
        synchronized (lock) {
            cancelAllLimits();
            updateController();
        }
    }

    /** QEMU {@code query-vcpu-dirty-limit}: one row per registered vCPU, ordered by cpu index. */
    public List<DirtyLimitInfo> queryVcpuDirtyLimit() {
        synchronized (lock) {
            List<DirtyLimitInfo> rows = new ArrayList<>(vcpus.size());
            for (Vcpu vcpu : vcpus.values()) {
                rows.add(info(vcpu));
            }
            return rows;
        }
    }

    /**
     * QEMU {@code calc-dirty-rate}: every registered vCPU's dirty rate over {@code window}
     * ({@link #MIN_CALC_WINDOW} to {@link #MAX_CALC_WINDOW}), limited or not. Blocks the caller
     * for the window, sleeping with the limiter's {@link Sleeper} and timing with its {@link Ticker}.
     * vCPUs unregistered during the window are left out; one registered during it is measured
     * from its registration (its first pages, with a host that counts only while measuring).
     *
     * @throws InterruptedException if the caller is interrupted (its interrupt status is cleared)
     */
    public DirtyRateInfo calcDirtyRate(Duration window) throws InterruptedException {
        checkCalcWindow(window);
        Map<Vcpu, Long> startPages = new IdentityHashMap<>();
        synchronized (lock) {
            checkOpen();
            calcsOpen++;
            updateMeasuring();
            for (Vcpu vcpu : vcpus.values()) {
                startPages.put(vcpu, vcpu.pagesDirtiedTotal());
            }
        }
        try {
            long start = ticker.nanoTime();
            waitFor(start, window.toNanos());
            long elapsed = ticker.nanoTime() - start;
            return rates(startPages, elapsed);
        } finally {
            synchronized (lock) {
                calcsOpen--;
                updateMeasuring();
            }
        }
    }

    /**
     * Whether this limiter needs its vCPUs' page counts now: some vCPU is limited, a limit for all
     * vCPUs is set or a calc-dirty-rate window is open. See {@link Builder#measuringListener}.
     */
    public boolean isMeasuring() {
        synchronized (lock) {
            return measuringTold;
        }
    }

    /** Sets the control period, {@link #MIN_PERIOD} to {@link #MAX_PERIOD}. */
    public void setPeriod(Duration period) {
        checkPeriod(period);
        synchronized (lock) {
            periodNanosVolatile = period.toNanos();
            republishPacing();
        }
    }

    /** The control period. */
    public Duration period() {
        return Duration.ofNanos(periodNanosVolatile);
    }

    /** Selects the policy by name (see {@link #availablePolicies()}); limited vCPUs start afresh with it. */
    public void setPolicy(String name) {
        synchronized (lock) {
            ThrottlePolicy<?> next = policies.create(name);
            policyName = name;
            policy = next;
            for (Vcpu vcpu : vcpus.values()) {
                if (vcpu.control.limited()) {
                    vcpu.control.policy = PolicyBinding.bind(next);
                    vcpu.control.fellBack = false;
                }
            }
            republishPacing();
        }
    }

    /**
     * Turns the limit guarantee on or off ({@link GuardMode#AUTO}: on for every policy but the QEMU
     * baselines). Takes effect at each limited vCPU's next throttle point.
     */
    public void setGuard(GuardMode mode) {
        Objects.requireNonNull(mode, "mode");
        synchronized (lock) {
            guardMode = mode;
            republishPacing();
        }
    }

    /** The guarantee's mode, as set. */
    public GuardMode guard() {
        synchronized (lock) {
            return guardMode;
        }
    }

    /** Whether the limit guarantee is in effect now, for the policy in use. */
    public boolean isGuarded() {
        synchronized (lock) {
            return guarded();
        }
    }

    /** The name of the policy in use. */
    public String policy() {
        synchronized (lock) {
            return policyName;
        }
    }

    /**
     * Places a throttle point every {@code pages} dirtied pages; 0 leaves only ring-full points.
     * For small limits the vCPUs use a finer quantum (see {@link Vcpu#quantumPages()}).
     */
    public void setQuantumPages(int pages) {
        checkQuantum(pages);
        synchronized (lock) {
            quantumPages = pages;
            republishPacing();
        }
    }

    /** The credit a vCPU keeps while it waits for a shared thread ({@link Builder#sharedThreadCredit}). */
    public Duration sharedThreadCredit() {
        return Duration.ofNanos(sharedThreadCreditNanos);
    }

    /** Pages between quantum throttle points; 0 when only ring-full points throttle. */
    public int quantumPages() {
        synchronized (lock) {
            return quantumPages;
        }
    }

    /**
     * Runs one control period now, on the {@link Ticker}'s time: measures every vCPU since the last
     * period and adjusts the limited ones. Only for a limiter built with
     * {@link Builder#manualControl()}; does nothing while no limit is set (as no controller thread
     * would run).
     *
     * @throws IllegalStateException if the limiter has its own controller thread
     */
    public void runControllerPeriod() {
        if (!manualControl) {
            throw new IllegalStateException(
                    "this limiter runs its periods on its own thread; build it with manualControl() to step it");
        }
        synchronized (lock) {
            if (controllerActive) {
                controller.runPeriod(vcpus.values(), policyName);
            }
        }
    }

    /** Cancels every limit, wakes every sleeping vCPU within one sleep chunk and stops the controller. */
    @Override
    public void close() {
        ControllerThread stopping;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = controllerThread;
            cancelAllLimits();
            updateController();
        }
        if (stopping != null) {
            stopping.join(1000);
        }
    }

    // The controller thread's side.

    long periodNanos() {
        return periodNanosVolatile;
    }

    /** Runs a period for {@code thread}, unless it has been replaced or stopped: then false. */
    boolean runPeriodOnThread(ControllerThread thread) {
        synchronized (lock) {
            if (controllerThread != thread) {
                return false;
            }
            controller.runPeriod(vcpus.values(), policyName);
            return true;
        }
    }

    /** Pages the controller has counted for a vCPU since registration (for tests). */
    long sampledPages(int cpuIndex) {
        synchronized (lock) {
            return registered(cpuIndex).control.sampledPages;
        }
    }

    // Limits, under lock.

    private void applyLimit(Vcpu vcpu, double mbPerSec) {
        VcpuControl control = vcpu.control;
        if (!control.limited()) {
            control.policy = PolicyBinding.bind(policy);
            control.fellBack = false;
            vcpu.publishSleepNanosPerPage(0);
            vcpu.demand.snapshot(control.lastDemand);
        }
        control.limitMBps = mbPerSec;
        publishPacing(vcpu);
        vcpu.publishLimitEpoch(nextEpoch());
        Trace.limitSet(vcpu.index(), mbPerSec);
    }

    private void cancelLimit(Vcpu vcpu) {
        VcpuControl control = vcpu.control;
        if (!control.limited()) {
            return;
        }
        control.limitMBps = 0;
        control.policy = null;
        control.pacedSleepNanosPerPoint = 0;
        vcpu.publishSleepNanosPerPage(0);
        vcpu.publishQuantumPages(0);
        vcpu.publishGuardPicosPerPage(0);
        vcpu.publishLimitEpoch(0);
        Trace.limitCancelled(vcpu.index());
    }

    private void cancelAllLimits() {
        allVcpuLimitMBps = 0;
        for (Vcpu vcpu : vcpus.values()) {
            cancelLimit(vcpu);
        }
    }

    private int nextEpoch() {
        lastEpoch = lastEpoch == Integer.MAX_VALUE ? 1 : lastEpoch + 1;
        return lastEpoch;
    }

    private boolean guarded() {
        return guardMode.guards(policyName);
    }

    /** The quantum and the pacing clock's time per page for a limited vCPU's limit. */
    private void publishPacing(Vcpu vcpu) {
        double limit = vcpu.control.limitMBps;
        boolean guarded = guarded();
        vcpu.publishQuantumPages(Pacing.quantumPages(quantumPages, limit, periodNanosVolatile, pageSize, guarded));
        vcpu.publishCreditPages(Pacing.creditPages(sharedThreadCreditNanos, limit, pageSize));
        vcpu.publishGuardPicosPerPage(guarded ? PacingGuard.picosPerPage(limit, pageSize) : 0);
    }

    private void republishPacing() {
        for (Vcpu vcpu : vcpus.values()) {
            if (vcpu.control.limited()) {
                publishPacing(vcpu);
            }
        }
    }

    /** Starts the controller when some vCPU is limited, stops it when none is. */
    private void updateController() {
        boolean anyLimited = vcpus.values().stream().anyMatch(vcpu -> vcpu.control.limited());
        if (anyLimited && !controllerActive) {
            startController();
        } else if (!anyLimited && controllerActive) {
            stopController();
        }
        updateMeasuring();
    }

    private void updateMeasuring() {
        // A limit for all vCPUs with none registered yet also needs counts: vCPUs register as they dirty.
        boolean measuring = (controllerActive || allVcpuLimitMBps > 0 || calcsOpen > 0) && !closed;
        if (measuring != measuringTold) {
            measuringTold = measuring;
            measuringListener.measuringChanged(measuring);
        }
    }

    private void startController() {
        controllerActive = true;
        controller.startSampling(vcpus.values());
        Trace.limiterActive(this);
        if (!manualControl) {
            controllerThread = ControllerThread.start(this, ticker);
        }
    }

    private void stopController() {
        controllerActive = false;
        controller.stopSampling(vcpus.values());
        Trace.limiterInactive(this);
        if (controllerThread != null) {
            controllerThread.stop();
            controllerThread = null;
        }
    }

    private DirtyLimitInfo info(Vcpu vcpu) {
        VcpuControl control = vcpu.control;
        double pages = Controller.pagesPerPoint(vcpu);
        double sleepPerPoint = vcpu.guarded() ? control.pacedSleepNanosPerPoint : vcpu.sleepNanosPerPage() * pages;
        return new DirtyLimitInfo(
                vcpu.index(),
                control.limited(),
                control.limitMBps,
                control.currentRateMBps,
                Math.round(sleepPerPoint),
                Math.round(pages),
                vcpu.throttlePoints(),
                vcpu.sleptNanos());
    }

    // calcDirtyRate helpers.

    private void waitFor(long start, long windowNanos) throws InterruptedException {
        long left = windowNanos;
        while (left > 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException("calcDirtyRate interrupted");
            }
            try {
                sleeper.sleep(left);
            } catch (InterruptedException e) {
                Thread.interrupted();
                throw e;
            }
            left = windowNanos - (ticker.nanoTime() - start);
        }
    }

    /** Rates of the vCPUs registered at the end of the window; one registered meanwhile counts from 0. */
    private DirtyRateInfo rates(Map<Vcpu, Long> startPages, long elapsedNanos) {
        List<DirtyRateInfo.VcpuRate> rates = new ArrayList<>();
        double total = 0;
        synchronized (lock) {
            for (Vcpu vcpu : vcpus.values()) {
                long pages = vcpu.pagesDirtiedTotal() - startPages.getOrDefault(vcpu, 0L);
                double rate = Units.mbPerSec(pages, elapsedNanos, pageSize);
                rates.add(new DirtyRateInfo.VcpuRate(vcpu.index(), rate));
                total += rate;
            }
        }
        return new DirtyRateInfo(Duration.ofNanos(elapsedNanos), List.copyOf(rates), total);
    }

    // Checks.

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this dirty limiter is closed");
        }
    }

    private Vcpu registered(int cpuIndex) {
        checkIndex(cpuIndex);
        Vcpu vcpu = vcpus.get(cpuIndex);
        if (vcpu == null) {
            throw new IllegalArgumentException(
                    "cpu index " + cpuIndex + " is not a registered vCPU (registered: " + describeRegistered() + ")");
        }
        return vcpu;
    }

    /** "0..3", "0, 2, 5", or "none". */
    private String describeRegistered() {
        if (vcpus.isEmpty()) {
            return "none";
        }
        int first = vcpus.firstKey();
        int last = vcpus.lastKey();
        if (last - first + 1 == vcpus.size()) {
            return first == last ? Integer.toString(first) : first + ".." + last;
        }
        StringBuilder listed = new StringBuilder();
        Iterator<Integer> indices = vcpus.keySet().iterator();
        for (int shown = 0; indices.hasNext(); shown++) {
            if (shown == 16) {
                return listed.append(", ... (").append(vcpus.size()).append(" in all)").toString();
            }
            listed.append(shown == 0 ? "" : ", ").append(indices.next());
        }
        return listed.toString();
    }

    private static void checkIndex(int cpuIndex) {
        if (cpuIndex < 0) {
            throw new IllegalArgumentException("cpu index must be >= 0, got " + cpuIndex);
        }
    }

    private static void checkRate(double mbPerSec) {
        if (!(mbPerSec >= 0) || Double.isInfinite(mbPerSec)) {
            throw new IllegalArgumentException("dirty rate must be a finite number of MB/s >= 0, got " + mbPerSec);
        }
    }

    private static void checkPeriod(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException(
                    "period must be between 10 ms and 10 s, got " + period.toMillis() + " ms");
        }
    }

    private static void checkCalcWindow(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.compareTo(MIN_CALC_WINDOW) < 0 || window.compareTo(MAX_CALC_WINDOW) > 0) {
            throw new IllegalArgumentException(
                    "calc-dirty-rate window must be between 10 ms and 60 s, got " + window.toMillis() + " ms");
        }
    }

    private static void checkQuantum(int pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("quantum must be >= 0 pages (0: ring-full points only), got " + pages);
        }
    }

    /** Configures a {@link DirtyLimiter}. */
    public static final class Builder {
        private Ticker ticker = Ticker.system();
        private Sleeper sleeper = Sleeper.parking();
        private Duration period = DEFAULT_PERIOD;
        private String policy = DEFAULT_POLICY;
        private int quantumPages = DEFAULT_QUANTUM_PAGES;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private GuardMode guardMode = GuardMode.AUTO;
        private Duration sharedThreadCredit = Duration.ZERO;
        private boolean manualControl;
        private MeasuringListener measuringListener = measuring -> { };
        private final Map<String, Supplier<? extends ThrottlePolicy<?>>> policies = Policies.builtIn();

        private Builder() {}

        /** The clock; the default is {@link System#nanoTime()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** How vCPU threads sleep; the default parks the thread ({@link Sleeper#parking()}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The control period (default 1 s). */
        public Builder period(Duration period) {
            checkPeriod(period);
            this.period = period;
            return this;
        }

        /** The policy name (default {@code model}); checked when the limiter is built. */
        public Builder policy(String name) {
            this.policy = Objects.requireNonNull(name, "policy");
            return this;
        }

        /** Pages between quantum throttle points (0: only ring-full points). Default 256. */
        public Builder quantumPages(int pages) {
            checkQuantum(pages);
            this.quantumPages = pages;
            return this;
        }

        /** The limit guarantee's mode (default {@link GuardMode#AUTO}). */
        public Builder guard(GuardMode mode) {
            this.guardMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * For vCPUs that share threads (the guests of a runtime that runs many guests on a pool of
         * worker threads, each guest one "vCPU"): under the limit guarantee, a vCPU keeps up to
         * {@code credit} of its quota as credit while it waits for a thread. A throttle sleep holds
         * the thread, and so every guest queued behind it; with the default credit (one throttle
         * point's pages, about 2 ms) those guests lose their quota meanwhile and all run far below
         * it. The price is the burst: a vCPU may dirty up to {@code credit} times its quota at once
         * after waiting that long, so over a window W it dirties at most {@code quota * (W + credit)}
         * plus one point's pages. From 0 (the default) to 1 s.
         */
        public Builder sharedThreadCredit(Duration credit) {
            Objects.requireNonNull(credit, "credit");
            if (credit.isNegative() || credit.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("shared-thread credit must be from 0 to 1s, got " + Durations.format(credit));
            }
            this.sharedThreadCredit = credit;
            return this;
        }

        /** Guest page size in bytes (default 4096): a power of two from 512 bytes to 1 GiB. */
        public Builder pageSize(int bytes) {
            if (bytes < 512 || bytes > (1 << 30) || Integer.bitCount(bytes) != 1) {
                throw new IllegalArgumentException(
                        "page size must be a power of two from 512 to 1073741824 bytes, got " + bytes);
            }
            this.pageSize = bytes;
            return this;
        }

        /**
         * No controller thread: the caller runs each period with {@link #runControllerPeriod()}, on
         * the ticker's time. For simulation and deterministic tests.
         */
        public Builder manualControl() {
            this.manualControl = true;
            return this;
        }

        /**
         * Adds a policy under {@code name}; the factory is called once each time the policy is
         * selected. Built-in names cannot be replaced.
         */
        public Builder addPolicy(String name, Supplier<? extends ThrottlePolicy<?>> factory) {
            Objects.requireNonNull(factory, "factory");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("policy name must not be blank");
            }
            if (Policies.builtInNames().contains(name)) {
                throw new IllegalArgumentException("policy '" + name + "' is built in and cannot be replaced");
            }
            policies.put(name, factory);
            return this;
        }

        /** Told whenever the limiter starts or stops needing page counts; by default nobody. */
        public Builder measuringListener(MeasuringListener listener) {
            this.measuringListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Builds the limiter; no thread is started until a limit is set. */
        public DirtyLimiter build() {
            return new DirtyLimiter(this);
        }
    }
}
