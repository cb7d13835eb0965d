package io.dirtylimit.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Throttles the guest while a migration falls behind, and lifts what it set when the migration
 * ends (completed, failed or cancelled): QEMU's "dirty-limit" migration capability, its
 * auto-converge baseline, and {@code fit}, per-vCPU limits chosen from the measured rates and the
 * link. Fed by the profile's migration-start / -pass / -end hooks, on the emulator's migration
 * thread; configured by agent options (later by the MXBean). Limits the operator set are never
 * touched. All methods are synchronized: none is on a vCPU's hot path.
 */
final class MigrationGovernor {
    /** The vCPUs and limits the governor works on (the installation's, or a fake in tests). */
    interface Target {
        int[] vcpus();

        /** Pages vCPU {@code cpu} dirtied so far. */
        long pagesDirtied(int cpu);

        /** Whether the operator limited this vCPU (then the governor leaves it alone). */
        boolean hasOperatorLimit(int cpu);

        /** Sets a limit; 0 cancels. */
        void setLimit(int cpu, double mbps);

        /** The throttle's control period: a limit set now is applied within it. */
        long controlPeriodNanos();

        /** Whether the governor watches a migration now (then it needs the vCPUs' page counts). */
        default void watching(boolean watching) {}
    }

    private static final double MIB = 1024.0 * 1024.0;

    private final Target target;
    private final CpuThrottle cpuThrottle;
    private final LongSupplier nanos;
    private final int pageSize;
    private MigrationSettings settings = MigrationSettings.DEFAULTS;

    // One migration's state (reset by start).
    private boolean active;
    private TriggerRule trigger;
    private long startNanos;
    private long declaredBandwidth = -1;
    private long declaredDowntimeMillis = -1;
    private long sentTotal;
    private int steps;
    /** {@code fit}: passes that began before this are stale evidence (the last step's limits were not applied yet). */
    private long settledNanos;
    private long lastPassNanos;
    private long sampleNanos;
    private final Map<Integer, Long> samplePages = new TreeMap<>();
    /** Measured dirty rate per vCPU, MB/s, over the last trigger period. */
    private final Map<Integer, Double> rates = new TreeMap<>();
    /** The highest rate seen per vCPU before the governor limited it: its demand. */
    private final Map<Integer, Double> demand = new TreeMap<>();
    /** The limits this governor set and has not lifted, by vCPU. */
    private final Map<Integer, Double> ours = new LinkedHashMap<>();
    private String lastEvent = "no migration seen";

    MigrationGovernor(Target target, CpuThrottle cpuThrottle, LongSupplier nanos, int pageSize) {
        this.target = target;
        this.cpuThrottle = cpuThrottle;
        this.nanos = nanos;
        this.pageSize = pageSize;
    }

    /**
     * Switches the governor: {@code "off"}, {@code "auto"} (the default mode) or a mode name
     * ({@code qemu}, {@code fit}, {@code auto-converge}). Switching off, or to another mode,
     * lifts whatever the governor set. For the agent options and the MXBean.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public synchronized void setMode(String name) {
        MigrationSettings.Mode mode = name.equals("auto") ? MigrationSettings.AUTO_MODE : MigrationSettings.Mode.byKeyword(name);
        if (mode == null) {
            throw new IllegalArgumentException("migration mode '" + name + "' is not one of off, auto, qemu, fit, auto-converge");
        }
        configure(settings.withMode(mode));
    }

    /** The mode in force: off, qemu, fit or auto-converge. */
    public synchronized String mode() {
        return settings.mode().keyword();
    }

    synchronized void configure(MigrationSettings next) {
        if (next.mode() != settings.mode()) {
            liftAll("mode changed to " + next.mode().keyword());
        }
        settings = next;
        if (active) {
            trigger = new TriggerRule(next.thresholdPercent(), next.period().toNanos(), nanos.getAsLong());
        }
        tellWatching();
    }

    private void tellWatching() {
        target.watching(active && settings.mode() != MigrationSettings.Mode.OFF);
    }

    /** Whether a migration is running: a start or a pass seen, and no end since. */
    synchronized boolean running() {
        return active;
    }

    synchronized MigrationSettings settings() {
        return settings;
    }

    synchronized void migrationStarted(long bandwidthBytesPerSec, long downtimeMillis) {
        liftAll("a new migration started");
        begin(bandwidthBytesPerSec);
        declaredDowntimeMillis = downtimeMillis;
        lastEvent = "migration started" + (bandwidthBytesPerSec > 0 ? String.format(" at %.1f MB/s", bandwidthBytesPerSec / MIB) : "");
    }

    synchronized void passCompleted(long bytesSent, long bytesDirtied) {
        if (!active) {
            begin(-1); // attached during a migration: no start seen, so this pass's duration is unknown
        } else {
            sentTotal += bytesSent;
        }
        long now = nanos.getAsLong();
        if (fitsDowntime(bytesDirtied)) {
            // Pre-copy stops the guest next: a vCPU asleep at a throttle point would only lengthen the downtime.
            liftAll("the last pass fits the downtime limit");
            return;
        }
        boolean periodEnds = now - sampleNanos >= settings.period().toNanos();
        boolean step = settled(now) && trigger.onPass(now, bytesSent, bytesDirtied);
        lastPassNanos = now;
        if (periodEnds) {
            sampleRates(now);
        }
        if (step && settings.mode() != MigrationSettings.Mode.OFF) {
            steps++;
            throttleStep(now);
        }
    }

    /**
     * {@code fit}: whether the trigger may count this pass. Until a pass that began one control period
     * after the last step, the trigger starts afresh: the dirtying it would count happened before the
     * core applied that step's limits, and another step would halve the budget on stale evidence.
     */
    private boolean settled(long now) {
        if (lastPassNanos >= settledNanos) {
            return true;
        }
        trigger = new TriggerRule(settings.thresholdPercent(), settings.period().toNanos(), now);
        return false;
    }

    synchronized void migrationFinished() {
        liftAll("migration ended");
        active = false;
        tellWatching();
    }

    /** The operator replaced the limits (which cancels all of them, the governor's too). */
    synchronized void operatorLimitsReplaced() {
        ours.clear();
    }

    private void begin(long bandwidth) {
        active = true;
        tellWatching();
        declaredBandwidth = bandwidth;
        declaredDowntimeMillis = -1;
        startNanos = nanos.getAsLong();
        sentTotal = 0;
        steps = 0;
        settledNanos = startNanos;
        lastPassNanos = startNanos;
        trigger = new TriggerRule(settings.thresholdPercent(), settings.period().toNanos(), startNanos);
        rates.clear();
        demand.clear();
        samplePages.clear();
        sampleNanos = startNanos;
        for (int cpu : target.vcpus()) {
            samplePages.put(cpu, target.pagesDirtied(cpu));
        }
    }

    private void sampleRates(long now) {
        double seconds = (now - sampleNanos) / 1e9;
        for (int cpu : target.vcpus()) {
            long pages = target.pagesDirtied(cpu);
            Long before = samplePages.put(cpu, pages);
            if (before != null && seconds > 0) {
                double mbps = (pages - before) * (double) pageSize / MIB / seconds;
                rates.put(cpu, mbps);
                if (!ours.containsKey(cpu)) {
                    demand.put(cpu, mbps);
                }
            }
        }
        sampleNanos = now;
    }

    private void throttleStep(long now) {
        switch (settings.mode()) {
            case QEMU -> limitAll(settings.limitMbps());
            case FIT -> {
                fit(now);
                settledNanos = now + target.controlPeriodNanos();
            }
            case AUTO_CONVERGE -> cpuThrottle.increase();
            case OFF -> { }
        }
        lastEvent = "throttle step " + steps + ": " + describeThrottle();
        Log.info("migration: " + lastEvent + (rates.isEmpty() ? "" : " (measured MB/s " + formatRates() + ")"));
    }

    /** QEMU: every vCPU the operator did not limit gets the same limit. */
    private void limitAll(double mbps) {
        for (int cpu : target.vcpus()) {
            if (!target.hasOperatorLimit(cpu) && !Double.valueOf(mbps).equals(ours.get(cpu))) {
                setOurs(cpu, mbps);
            }
        }
    }

    private void fit(long now) {
        int[] cpus = target.vcpus();
        double[] demandMbps = new double[cpus.length];
        boolean[] fixed = new boolean[cpus.length];
        for (int i = 0; i < cpus.length; i++) {
            demandMbps[i] = demand.getOrDefault(cpus[i], rates.getOrDefault(cpus[i], 0.0));
            fixed[i] = target.hasOperatorLimit(cpus[i]);
        }
        double budget = FitPlanner.budgetMbps(bandwidthMbps(now), settings.budgetPercent(), steps);
        double[] limits = FitPlanner.limits(demandMbps, fixed, budget, settings.limitMbps());
        for (int i = 0; i < cpus.length; i++) {
            if (limits[i] > 0) {
                setOurs(cpus[i], limits[i]);
            } else if (ours.containsKey(cpus[i])) {
                lift(cpus[i]);
            }
        }
    }

    /** Whether what is left to send fits in bandwidth x downtime: pre-copy's own test for the stop-and-copy. */
    private boolean fitsDowntime(long bytesDirtied) {
        return declaredBandwidth > 0 && declaredDowntimeMillis > 0
                && bytesDirtied <= declaredBandwidth * (double) declaredDowntimeMillis / 1000.0;
    }

    /** The link: as the migration declared it, else as measured from the bytes sent so far. */
    private double bandwidthMbps(long now) {
        if (declaredBandwidth > 0) {
            return declaredBandwidth / MIB;
        }
        double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
        return sentTotal / MIB / seconds;
    }

    private void setOurs(int cpu, double mbps) {
        target.setLimit(cpu, mbps);
        ours.put(cpu, mbps);
    }

    private void lift(int cpu) {
        ours.remove(cpu);
        if (!target.hasOperatorLimit(cpu)) {
            target.setLimit(cpu, 0);
        }
    }

    private void liftAll(String why) {
        boolean had = !ours.isEmpty() || cpuThrottle.percent() > 0;
        for (Integer cpu : ours.keySet().toArray(new Integer[0])) {
            lift(cpu);
        }
        cpuThrottle.stop();
        settledNanos = Long.MIN_VALUE; // nothing in force: every pass is fresh evidence
        if (had) {
            lastEvent = why + ": throttle lifted";
            Log.info("migration: " + lastEvent);
        }
    }

    /** The limits the governor set and has not lifted, by vCPU (for reports and tests). */
    synchronized Map<Integer, Double> limitsInForce() {
        return Map.copyOf(ours);
    }

    synchronized int cpuThrottlePercent() {
        return cpuThrottle.percent();
    }

    private String describeThrottle() {
        if (cpuThrottle.percent() > 0) {
            return "CPU throttle " + cpuThrottle.percent() + " %";
        }
        if (ours.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        ours.forEach((cpu, mbps) -> b.append(b.length() == 0 ? "" : ", ").append(cpu).append(": ")
                .append(String.format("%.1f MB/s", mbps)));
        return "vCPU limits " + b;
    }

    /** One line for the agent's report. */
    synchronized String describe() {
        return settings.describe() + "; " + (active ? "migration running, " + steps + " throttle step(s)" : "idle")
                + "; in force: " + describeThrottle() + "; last: " + lastEvent
                + (rates.isEmpty() ? "" : "; measured MB/s " + formatRates());
    }

    private String formatRates() {
        StringBuilder b = new StringBuilder();
        rates.forEach((cpu, mbps) -> b.append(b.length() == 0 ? "" : ", ").append(cpu).append(": ").append(String.format("%.1f", mbps)));
        return b.toString();
    }
}
