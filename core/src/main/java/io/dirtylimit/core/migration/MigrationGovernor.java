package io.dirtylimit.core.migration;

import io.dirtylimit.core.Rates;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Throttles the guest while a migration falls behind, and lifts what it set when the migration
 * ends (completed, failed or cancelled): QEMU's "dirty-limit" migration capability, its
 * auto-converge baseline, and {@code fit}, per-vCPU limits chosen from the measured rates and the
 * link. Fed by the emulator's migration-start / -pass / -end events, on its migration thread;
 * configured by options and the control interface. All methods are synchronized: none is on a
 * vCPU's hot path.
 *
 * <p>The governor keeps no copy of the limits it set: its {@link Target} holds them, beside the
 * operator's, and answers what is in force. So an operator's {@code cancel} is seen at once (the
 * governor sets its limits again at its next throttle step if the migration still needs them),
 * an operator's limit is never lifted or overwritten (the target keeps it above the governor's),
 * and nothing the governor set can be orphaned by a concurrent change of the operator's limits.
 */
public final class MigrationGovernor {
    /** The vCPUs and limits the governor works on (the agent's limit service, or a fake in tests). */
    public interface Target {
        /**
         * The vCPUs seen so far.
         *
         * @return their indexes, ascending
         */
        int[] vcpus();

        /**
         * Pages vCPU {@code cpu} dirtied so far.
         *
         * @param cpu the vCPU
         * @return the count (0 if unknown)
         */
        long pagesDirtied(int cpu);

        /**
         * Whether the operator limited this vCPU (then the governor leaves it alone).
         *
         * @param cpu the vCPU
         * @return true when an operator's limit is in force on it
         */
        boolean hasOperatorLimit(int cpu);

        /**
         * The limit the governor holds on {@code cpu} now.
         *
         * @param cpu the vCPU
         * @return MB/s, 0 when it holds none (never set, lifted, or cancelled by the operator)
         */
        double governorLimit(int cpu);

        /**
         * The governor's limits now.
         *
         * @return MB/s by vCPU
         */
        Map<Integer, Double> governorLimits();

        /**
         * Sets the governor's own limit on {@code cpu}; 0 lifts it. Never changes an operator's limit.
         *
         * @param cpu the vCPU
         * @param mbps the limit, MB/s
         */
        void setGovernorLimit(int cpu, double mbps);

        /**
         * The throttle's control period: a limit set now is applied within it.
         *
         * @return nanoseconds
         */
        long controlPeriodNanos();

        /**
         * Whether the governor watches a migration now (then it needs the vCPUs' page counts).
         *
         * @param watching true while a migration runs and the governor is on
         */
        default void watching(boolean watching) {}
    }

    private static final double MIB = 1024.0 * 1024.0;

    private final Target target;
    private final CpuThrottle cpuThrottle;
    private final LongSupplier nanos;
    private final int pageSize;
    private final Consumer<String> events;
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
    private String lastEvent = "no migration seen";

    /**
     * A governor, off until configured.
     *
     * @param target the vCPUs and the limits
     * @param cpuThrottle the whole-guest throttle of {@code auto-converge}
     * @param nanos the clock (virtual in tests)
     * @param pageSize guest page size in bytes
     * @param events told each throttle step and lift, one line each (the agent logs them)
     */
    public MigrationGovernor(Target target, CpuThrottle cpuThrottle, LongSupplier nanos, int pageSize, Consumer<String> events) {
        this.target = target;
        this.cpuThrottle = cpuThrottle;
        this.nanos = nanos;
        this.pageSize = pageSize;
        this.events = events;
    }

    /**
     * Switches the governor: {@code "off"}, {@code "auto"} (the default mode) or a mode name
     * ({@code fit}, {@code qemu}, {@code auto-converge}). Switching off, or to another mode,
     * lifts whatever the governor set.
     *
     * @param name the switch word
     * @throws IllegalArgumentException for an unknown name
     */
    public synchronized void setMode(String name) {
        configure(settings.withMode(MigrationMode.forSwitch(name)));
    }

    /**
     * The mode in force.
     *
     * @return off, fit, qemu or auto-converge
     */
    public synchronized String mode() {
        return settings.mode().keyword();
    }

    /**
     * New settings; a change of mode lifts whatever the governor set.
     *
     * @param next the settings
     */
    public synchronized void configure(MigrationSettings next) {
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
        target.watching(active && settings.mode() != MigrationMode.OFF);
    }

    /**
     * Whether a migration is running: a start or a pass seen, and no end since.
     *
     * @return true while one runs
     */
    public synchronized boolean running() {
        return active;
    }

    /**
     * The settings in force.
     *
     * @return the settings
     */
    public synchronized MigrationSettings settings() {
        return settings;
    }

    /**
     * A migration starts.
     *
     * @param bandwidthBytesPerSec the link as declared, or -1
     * @param downtimeMillis the downtime limit, or -1
     */
    public synchronized void migrationStarted(long bandwidthBytesPerSec, long downtimeMillis) {
        liftAll("a new migration started");
        begin(bandwidthBytesPerSec);
        declaredDowntimeMillis = downtimeMillis;
        lastEvent = "migration started" + (bandwidthBytesPerSec > 0 ? " at " + Rates.formatMeasured(bandwidthBytesPerSec / MIB) + " MB/s" : "");
    }

    /**
     * A pre-copy pass ended.
     *
     * @param bytesSent bytes sent during it
     * @param bytesDirtied bytes dirtied meanwhile
     */
    public synchronized void passCompleted(long bytesSent, long bytesDirtied) {
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
        if (step && settings.mode() != MigrationMode.OFF) {
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

    /** The migration ended, however: everything the governor set is lifted. */
    public synchronized void migrationFinished() {
        liftAll("migration ended");
        active = false;
        tellWatching();
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
                if (target.governorLimit(cpu) == 0) {
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
        events.accept(lastEvent + (rates.isEmpty() ? "" : " (measured MB/s " + formatRates() + ")"));
    }

    /** QEMU: every vCPU the operator did not limit gets the same limit (again, if an operator's cancel took it). */
    private void limitAll(double mbps) {
        for (int cpu : target.vcpus()) {
            if (!target.hasOperatorLimit(cpu) && target.governorLimit(cpu) != mbps) {
                target.setGovernorLimit(cpu, mbps);
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
                target.setGovernorLimit(cpus[i], limits[i]);
            } else if (target.governorLimit(cpus[i]) > 0) {
                target.setGovernorLimit(cpus[i], 0);
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

    private void liftAll(String why) {
        Map<Integer, Double> held = target.governorLimits();
        boolean had = !held.isEmpty() || cpuThrottle.percent() > 0;
        for (Integer cpu : held.keySet()) {
            target.setGovernorLimit(cpu, 0);
        }
        cpuThrottle.stop();
        settledNanos = Long.MIN_VALUE; // nothing in force: every pass is fresh evidence
        if (had) {
            lastEvent = why + ": throttle lifted";
            events.accept(lastEvent);
        }
    }

    /**
     * The limits the governor holds now, by vCPU (for reports and tests).
     *
     * @return MB/s by vCPU
     */
    public synchronized Map<Integer, Double> limitsInForce() {
        return Map.copyOf(target.governorLimits());
    }

    /**
     * The {@code auto-converge} throttle in force.
     *
     * @return percent, 0 when off
     */
    public synchronized int cpuThrottlePercent() {
        return cpuThrottle.percent();
    }

    private String describeThrottle() {
        if (cpuThrottle.percent() > 0) {
            return "CPU throttle " + cpuThrottle.percent() + " %";
        }
        Map<Integer, Double> held = new TreeMap<>(target.governorLimits());
        if (held.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        held.forEach((cpu, mbps) -> b.append(b.length() == 0 ? "" : ", ").append(cpu).append(": ")
                .append(Rates.format(mbps)).append(" MB/s"));
        return "vCPU limits " + b;
    }

    /**
     * One line for the agent's report: mode and settings; running or idle; what is in force; the
     * last event; the rates measured.
     *
     * @return the line
     */
    public synchronized String describe() {
        return settings.describe() + "; " + (active ? "migration running, " + steps + " throttle step(s)" : "idle")
                + "; in force: " + describeThrottle() + "; last: " + lastEvent
                + (rates.isEmpty() ? "" : "; measured MB/s " + formatRates());
    }

    private String formatRates() {
        StringBuilder b = new StringBuilder();
        rates.forEach((cpu, mbps) -> b.append(b.length() == 0 ? "" : ", ").append(cpu).append(": ").append(Rates.formatMeasured(mbps)));
        return b.toString();
    }
}
