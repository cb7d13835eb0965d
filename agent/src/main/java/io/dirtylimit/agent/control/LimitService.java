package io.dirtylimit.agent.control;

import io.dirtylimit.agent.runtime.Throttle;
import io.dirtylimit.agent.runtime.UnitLabel;
import io.dirtylimit.agent.runtime.VcpuDirectory;
import io.dirtylimit.core.DirtyLimitInfo;
import io.dirtylimit.core.Rates;
import io.dirtylimit.core.migration.MigrationGovernor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The one way a limit is set, changed or cancelled in the emulator, as QEMU's one
 * {@code qmp_set_vcpu_dirty_limit}: the agent options ({@code limit=} at start-up and on attach),
 * the MXBean (and through it the command-line tool's {@code set} and {@code cancel}) and the
 * migration governor all come here, under one lock, and {@code query}, {@code status} and the
 * attach report read what it holds.
 *
 * <p>It keeps two layers of limits. The operator's: a rate for every vCPU (also those seen later)
 * and per-vCPU rates, those of vCPUs not seen yet waiting for them (pending); a per-vCPU 0 exempts
 * that vCPU from the rate for every vCPU. The governor's: per-vCPU limits it sets during a
 * migration. A vCPU's limit in force is the operator's if the operator limits it, else the
 * governor's. So the governor never lifts or overwrites an operator's limit; an operator's
 * {@code set} during a governed migration takes that vCPU over (the governor's limit there is
 * dropped) and stays after it. A {@code cancel} cancels every limit on the vCPU(s) named, the
 * governor's too, as QEMU's cancel does; the governor reads its limits from here, so it knows at
 * once that it holds none there and sets them again at its next throttle step if the migration
 * still falls behind. The core holds only the resulting limit of each registered vCPU, recomputed
 * under the lock after every change, so no limit can be orphaned by changes that race.
 *
 * <p>Lock order: the vCPU directory's registration, the governor, then this, then the limiter,
 * then the handler switch. Nothing here calls the governor.
 */
public final class LimitService implements MigrationGovernor.Target {
    /** Who set a limit. */
    public enum Owner {
        /** The agent options, the MXBean or the command-line tool. */
        OPERATOR,
        /** The migration governor. */
        GOVERNOR;

        /** @return {@code operator} or {@code governor} */
        public String keyword() {
            return this == OPERATOR ? "operator" : "governor";
        }
    }

    /**
     * One vCPU's row of {@link #query()}.
     *
     * @param cpu the vCPU's index
     * @param pending true for a limit waiting for a vCPU not seen yet (no rates then)
     * @param enabled whether a limit is in force (or waiting)
     * @param limitMbps the limit, 0 when none
     * @param currentMbps the rate measured over the last control period
     * @param sleepNanosPerThrottlePoint the sleep at each throttle point now
     * @param throttlePoints throttle points hit since the vCPU was seen
     * @param owner who set the limit, or null when none
     * @param unit what stands behind the index (a space object with vcpu-id space, a first-dirty
     *     thread), or null
     */
    public record Row(int cpu, boolean pending, boolean enabled, double limitMbps, double currentMbps,
                      long sleepNanosPerThrottlePoint, long throttlePoints, Owner owner, UnitLabel unit) {}

    private final Throttle throttle;
    private final VcpuDirectory directory;
    // Guarded by this.
    /** The operator's rate for every vCPU, 0 when none. */
    private double operatorAllMbps;
    /** The operator's per-vCPU rates; 0 exempts the vCPU from {@link #operatorAllMbps}. */
    private final Map<Integer, Double> operatorMbps = new TreeMap<>();
    private final Map<Integer, Double> governorMbps = new TreeMap<>();
    /** What the core holds, per registered vCPU (absent: no limit). */
    private final Map<Integer, Double> appliedMbps = new HashMap<>();
    private Consumer<Boolean> waitingListener = waiting -> { };
    private boolean waitingTold;
    /** Told by the governor, without this lock. */
    private volatile Consumer<Boolean> watchingListenerVolatile = watching -> { };

    /**
     * A service with no limit (prepared mode). Call {@link #vcpuRegistered} from the directory's
     * registration listener.
     *
     * @param throttle the core, which holds the limits in force
     * @param directory the vCPUs seen
     */
    public LimitService(Throttle throttle, VcpuDirectory directory) {
        this.throttle = throttle;
        this.directory = directory;
    }

    /**
     * Tells {@code listener} now and after every change whether limits wait for vCPUs not seen yet
     * (a pending per-vCPU limit, or a rate for every vCPU): the hooks must count pages meanwhile,
     * else a vCPU that only stores would never be seen.
     *
     * @param listener the handler switch's {@code limitsWaiting}
     */
    public synchronized void onWaitingChange(Consumer<Boolean> listener) {
        waitingListener = listener;
        waitingTold = waiting();
        listener.accept(waitingTold);
    }

    /**
     * Where the governor's {@link #watching} goes.
     *
     * @param listener the handler switch's {@code migrationWatched}
     */
    public void onWatchingChange(Consumer<Boolean> listener) {
        watchingListenerVolatile = listener;
    }

    // ---- the operator

    /**
     * The {@code limit=} option: replaces every operator limit (pending ones included) by {@code spec}.
     * The governor's limits stay on the vCPUs the operator leaves unlimited.
     *
     * @param spec the option's value
     */
    public synchronized void replace(LimitSpec spec) {
        operatorAllMbps = spec.hasAll() ? spec.allMbps() : 0;
        operatorMbps.clear();
        operatorMbps.putAll(spec.perVcpuMbps());
        governorMbps.keySet().removeIf(this::hasOperatorLimitLocked);
        applyAll();
    }

    /**
     * QMP {@code set-vcpu-dirty-limit cpu-index=N}: the operator limits one vCPU; 0 cancels. A vCPU not
     * seen yet gets it when it first runs.
     *
     * @param cpu the vCPU, 0 to the profile's max-vcpus - 1
     * @param mbps the limit, MB/s, 0 or more
     * @return true when the vCPU is seen and the limit is in force, false when it waits for the vCPU
     * @throws IllegalArgumentException for a cpu index out of range or a bad rate
     */
    public synchronized boolean set(int cpu, double mbps) {
        checkCpu(cpu);
        Rates.checkLimit(mbps);
        if (mbps == 0) {
            cancel(cpu);
        } else {
            operatorMbps.put(cpu, mbps);
            governorMbps.remove(cpu);
            applyAll();
        }
        return directory.isRegistered(cpu);
    }

    /**
     * QMP {@code set-vcpu-dirty-limit} without cpu-index: the operator limits every vCPU, also those
     * seen later, replacing per-vCPU limits; 0 cancels every limit.
     *
     * @param mbps the limit, MB/s, 0 or more
     * @throws IllegalArgumentException for a bad rate
     */
    public synchronized void setAll(double mbps) {
        Rates.checkLimit(mbps);
        if (mbps == 0) {
            cancelAll();
            return;
        }
        operatorAllMbps = mbps;
        operatorMbps.clear();
        governorMbps.clear();
        applyAll();
    }

    /**
     * QMP {@code cancel-vcpu-dirty-limit cpu-index=N}: no limit on this vCPU any more, whoever set it
     * (a pending one too). Under a rate for every vCPU, the vCPU is exempted from it.
     *
     * @param cpu the vCPU
     * @throws IllegalArgumentException for a cpu index out of range
     */
    public synchronized void cancel(int cpu) {
        checkCpu(cpu);
        if (operatorAllMbps > 0) {
            operatorMbps.put(cpu, 0.0);
        } else {
            operatorMbps.remove(cpu);
        }
        governorMbps.remove(cpu);
        applyAll();
    }

    /** QMP {@code cancel-vcpu-dirty-limit}: every limit, whoever set it, pending ones too. */
    public synchronized void cancelAll() {
        operatorAllMbps = 0;
        operatorMbps.clear();
        governorMbps.clear();
        applyAll();
    }

    /**
     * A vCPU was seen for the first time: the limit waiting for it (or the rate for every vCPU) is
     * put in force before its first page counts.
     *
     * @param cpu the vCPU
     */
    public synchronized void vcpuRegistered(int cpu) {
        apply(cpu);
        tellWaiting();
    }

    // ---- what is in force

    /**
     * QMP {@code query-vcpu-dirty-limit}, and more: one row per vCPU seen, and one per limit
     * waiting for a vCPU not seen yet, by index.
     *
     * @return the rows
     */
    public synchronized List<Row> query() {
        List<Row> rows = new ArrayList<>();
        for (DirtyLimitInfo info : throttle.query()) {
            rows.add(new Row(info.cpuIndex(), false, info.enabled(), info.limitRate(), info.currentRate(),
                    info.sleepNanosPerThrottlePoint(), info.throttlePoints(), info.enabled() ? owner(info.cpuIndex()) : null,
                    directory.label(info.cpuIndex())));
        }
        pending().forEach((cpu, mbps) -> rows.add(new Row(cpu, true, true, mbps, 0, 0, 0, Owner.OPERATOR, null)));
        rows.sort(Comparator.comparingInt(Row::cpu));
        return rows;
    }

    /**
     * The operator's per-vCPU limits that wait for their vCPU.
     *
     * @return MB/s by vCPU
     */
    public synchronized Map<Integer, Double> pending() {
        Map<Integer, Double> pending = new TreeMap<>();
        operatorMbps.forEach((cpu, mbps) -> {
            if (mbps > 0 && !directory.isRegistered(cpu)) {
                pending.put(cpu, mbps);
            }
        });
        return pending;
    }

    /**
     * The report's {@code limits:} line: the operator's, what waits, the governor's.
     *
     * @return e.g. {@code all vCPUs 150 MB/s; vCPU 7 100 MB/s (waiting for vCPU(s) [7] to appear)}
     */
    public synchronized String describe() {
        List<String> parts = new ArrayList<>();
        if (operatorAllMbps > 0) {
            parts.add("all vCPUs " + Rates.format(operatorAllMbps) + " MB/s");
        }
        operatorMbps.forEach((cpu, mbps) -> {
            if (mbps > 0) {
                parts.add("vCPU " + cpu + " " + Rates.format(mbps) + " MB/s");
            } else if (operatorAllMbps > 0) {
                parts.add("vCPU " + cpu + " none");
            }
        });
        if (!governorMbps.isEmpty()) {
            List<String> governor = new ArrayList<>();
            governorMbps.forEach((cpu, mbps) -> governor.add("vCPU " + cpu + " " + Rates.format(mbps) + " MB/s"));
            parts.add("set by the migration governor: " + String.join(", ", governor));
        }
        if (parts.isEmpty()) {
            return "none (prepared)";
        }
        Map<Integer, Double> pending = pending();
        return String.join("; ", parts) + (pending.isEmpty() ? "" : " (waiting for vCPU(s) " + pending.keySet() + " to appear)");
    }

    /**
     * What stands behind vCPU index {@code cpu}: with {@code vcpu-id space} the space object's class
     * and identity hash, with {@code first-dirty} the thread that holds it.
     *
     * @param cpu an index
     * @return the label, or null
     */
    public UnitLabel unit(int cpu) {
        return directory.label(cpu);
    }

    // ---- the migration governor's target

    @Override
    public int[] vcpus() {
        return directory.registered();
    }

    @Override
    public long pagesDirtied(int cpu) {
        return throttle.pagesDirtied(cpu);
    }

    @Override
    public synchronized boolean hasOperatorLimit(int cpu) {
        return hasOperatorLimitLocked(cpu);
    }

    @Override
    public synchronized double governorLimit(int cpu) {
        return governorMbps.getOrDefault(cpu, 0.0);
    }

    @Override
    public synchronized Map<Integer, Double> governorLimits() {
        return new TreeMap<>(governorMbps);
    }

    /** Ignored where the operator limits the vCPU: the operator's limit wins. */
    @Override
    public synchronized void setGovernorLimit(int cpu, double mbps) {
        if (mbps > 0 && !hasOperatorLimitLocked(cpu)) {
            governorMbps.put(cpu, mbps);
        } else {
            governorMbps.remove(cpu);
        }
        apply(cpu);
    }

    @Override
    public long controlPeriodNanos() {
        return throttle.period().toNanos();
    }

    @Override
    public void watching(boolean watching) {
        watchingListenerVolatile.accept(watching);
    }

    // ---- applying

    private boolean hasOperatorLimitLocked(int cpu) {
        Double mine = operatorMbps.get(cpu);
        return mine != null ? mine > 0 : operatorAllMbps > 0;
    }

    private Owner owner(int cpu) {
        if (hasOperatorLimitLocked(cpu)) {
            return Owner.OPERATOR;
        }
        return governorMbps.containsKey(cpu) ? Owner.GOVERNOR : null;
    }

    /** The limit vCPU {@code cpu} must have: the operator's, else the governor's, else none (0). */
    private double inForce(int cpu) {
        Double mine = operatorMbps.get(cpu);
        if (mine != null && mine > 0) {
            return mine;
        }
        if (mine == null && operatorAllMbps > 0) {
            return operatorAllMbps;
        }
        return governorMbps.getOrDefault(cpu, 0.0);
    }

    /** Brings every registered vCPU's limit in the core in line with the layers, then the waiting signal. */
    private void applyAll() {
        TreeSet<Integer> cpus = new TreeSet<>(appliedMbps.keySet());
        IntStream.of(directory.registered()).forEach(cpus::add);
        cpus.forEach(this::apply);
        tellWaiting();
    }

    private void apply(int cpu) {
        if (!directory.isRegistered(cpu)) {
            return;
        }
        double mbps = inForce(cpu);
        Double applied = appliedMbps.get(cpu);
        if (applied == null ? mbps == 0 : applied == mbps) {
            return;
        }
        throttle.setLimit(cpu, mbps);
        if (mbps == 0) {
            appliedMbps.remove(cpu);
        } else {
            appliedMbps.put(cpu, mbps);
        }
    }

    private boolean waiting() {
        return operatorAllMbps > 0 || !pending().isEmpty();
    }

    private void tellWaiting() {
        boolean waiting = waiting();
        if (waiting != waitingTold) {
            waitingTold = waiting;
            waitingListener.accept(waiting);
        }
    }

    private void checkCpu(int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("cpu index must be >= 0, got " + cpu);
        }
        if (cpu >= directory.maxVcpus()) {
            throw new IllegalArgumentException("cpu index " + cpu + " is out of range 0.." + (directory.maxVcpus() - 1)
                    + " (the profile's max-vcpus)");
        }
    }
}
