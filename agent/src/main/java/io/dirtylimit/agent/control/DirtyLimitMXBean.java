package io.dirtylimit.agent.control;

import java.util.List;
import javax.management.ConstructorParameters;

/**
 * The agent's control interface in the emulator's JVM, registered as {@value #OBJECT_NAME} in the
 * platform MBean server (visible in jconsole and JDK Mission Control; the command-line tool uses
 * it). Operations are named after QEMU's QMP commands. Rates are MB/s with MB = MiB. Every limit
 * goes through the agent's one limit service ({@link LimitService}), as the agent options and the
 * migration governor do.
 *
 * <p>Bad input (a cpu index out of the profile's range, a negative rate, an unknown policy, a period
 * out of range) is refused with an {@link IllegalArgumentException} carrying the message; any
 * operation while the agent is detached fails with an {@link IllegalStateException}.
 */
public interface DirtyLimitMXBean {
    /** The MXBean's object name. */
    String OBJECT_NAME = "io.dirtylimit:type=DirtyLimit";

    /**
     * QMP {@code set-vcpu-dirty-limit cpu-index=N}: limits one vCPU; 0 cancels. A vCPU not seen yet
     * gets the limit when it first runs (the row of {@link #queryVcpuDirtyLimit()} says {@code pending}).
     */
    void setVcpuDirtyLimit(int cpuIndex, double dirtyRate);

    /**
     * QMP {@code set-vcpu-dirty-limit} without cpu-index: limits every vCPU, also those that appear
     * later; 0 cancels. (Not called {@code setAll...}: JMX would take a one-argument setter for an attribute.)
     */
    void limitAllVcpus(double dirtyRate);

    /**
     * QMP {@code cancel-vcpu-dirty-limit cpu-index=N}: that vCPU's limit, whoever set it (a pending one
     * too; the migration governor sets its own again at its next step if the migration still needs it).
     */
    void cancelVcpuDirtyLimit(int cpuIndex);

    /** QMP {@code cancel-vcpu-dirty-limit}: every limit, pending ones too. */
    void cancelAllVcpuDirtyLimit();

    /**
     * QMP {@code query-vcpu-dirty-limit}, one row per vCPU seen (limited or not) and one per limit
     * waiting for a vCPU not seen yet, by cpu index.
     */
    List<VcpuDirtyLimit> queryVcpuDirtyLimit();

    /**
     * The limits in one line, as the attach report's {@code limits:} line: the operator's (and those
     * waiting for their vCPU), then the migration governor's.
     */
    String getLimits();

    /** QMP {@code calc-dirty-rate}: every vCPU's dirty rate over {@code seconds} (0.01 to 60); blocks that long. */
    DirtyRate calcDirtyRate(double seconds);

    /**
     * Runs a {@code discover} (the tool's {@code discover PID} when the agent is active): temporary
     * counting probes on the emulator's methods for the window, then removed with their original
     * bytes; blocks for the window. Refused with an {@link IllegalStateException} while another
     * discover runs, and with an {@link IllegalArgumentException} for bad options.
     *
     * @param options {@code discover,seconds=S,max-methods=N,package=P;Q,class=C}
     * @return what was measured, one fact per line (the tool's input, not for people)
     */
    List<String> discover(String options);

    /** Whether the agent is installed (false after {@code detach}). */
    boolean isActive();

    /** The control period, e.g. {@code 1s} or {@code 500ms}. */
    String getPeriod();

    /** Sets the control period, {@code 10ms} to {@code 10s}. */
    void setPeriod(String period);

    /** The control policy's name. */
    String getPolicy();

    /** Selects the control policy: {@code model}, {@code pi}, {@code linear}, {@code qemu} or {@code v9}. */
    void setPolicy(String policy);

    /** Pages between quantum throttle points; 0: ring-full exits only. */
    int getQuantumPages();

    /**
     * The limit guarantee's mode: {@code auto} (on for every policy but the QEMU baselines {@code qemu}
     * and {@code v9}), {@code on} or {@code off}.
     */
    String getGuard();

    /** Sets the limit guarantee's mode: {@code auto}, {@code on} or {@code off}. */
    void setGuard(String mode);

    /** Whether the limit guarantee is in effect now (for the policy in use): limits hold from the first page. */
    boolean isGuarded();

    /** The installed profile's name and origin, e.g. {@code toyvm (builtin:toyvm)}. */
    String getProfile();

    /** The hooks that instrument at least one method, with the methods. */
    List<String> getHooksMatched();

    /** The hooks that instrument nothing (yet). */
    List<String> getHooksUnmatched();

    /** Failures suppressed inside hooks since installation (the emulator never saw them). */
    long getSuppressedErrors();

    /** The vCPU indexes seen so far. */
    int[] getVcpus();

    /** The agent's version. */
    String getVersion();

    /**
     * The migration governor's mode: {@code off}, {@code fit}, {@code qemu} or {@code auto-converge}
     * (agent option {@code migration-mode=}; the names are the core's {@code MigrationMode}).
     */
    String getMigrationMode();

    /**
     * Switches the migration governor: {@code off}, {@code auto} (its default mode, {@code fit}),
     * {@code fit}, {@code qemu} or {@code auto-converge}. Switching off or to another mode lifts
     * whatever the governor set (never an operator's limit); during a migration the new mode acts from
     * its next throttle step.
     */
    void setMigrationMode(String mode);

    /**
     * The migration governor's state in one line, as in the attach report's {@code migration:} line:
     * mode and settings; running (with its throttle steps) or idle; what it has in force; its last
     * event; the dirty rates it measured.
     */
    String getMigrationState();

    /** Whether a migration is running (the governor saw it start, or saw a pass, and not its end). */
    boolean isMigrationRunning();

    /**
     * One vCPU's row of {@link #queryVcpuDirtyLimit()}. With {@code vcpu-id space} a "vCPU" is a unit:
     * an address-space object, told apart by its class and identity hash.
     */
    final class VcpuDirtyLimit {
        private final int cpuIndex;
        private final boolean enabled;
        private final double limitRate;
        private final double currentRate;
        private final long sleepNanosPerThrottlePoint;
        private final long throttlePoints;
        private final String setBy;
        private final boolean pending;
        private final String unit;
        private final String unitClass;
        private final int unitIdentityHash;

        /**
         * @param cpuIndex the vCPU's index
         * @param enabled whether a limit is set
         * @param limitRate the limit, MB/s (0 when none)
         * @param currentRate the rate measured over the last control period, MB/s
         * @param sleepNanosPerThrottlePoint the current sleep at each throttle point, ns
         * @param throttlePoints throttle points hit since the vCPU was first seen
         * @param setBy who set the limit: {@code operator}, {@code governor}, or empty when none
         * @param pending whether the limit waits for a vCPU not seen yet
         * @param unit what stands behind the index in one word ({@code LinearMemory@1b6d3586},
         *     {@code thread 'worker-3'}), or empty
         * @param unitClass the space object's class, or empty
         * @param unitIdentityHash the space object's identity hash, 0 when none
         */
        @ConstructorParameters({"cpuIndex", "enabled", "limitRate", "currentRate", "sleepNanosPerThrottlePoint",
                "throttlePoints", "setBy", "pending", "unit", "unitClass", "unitIdentityHash"})
        public VcpuDirtyLimit(int cpuIndex, boolean enabled, double limitRate, double currentRate,
                              long sleepNanosPerThrottlePoint, long throttlePoints, String setBy, boolean pending,
                              String unit, String unitClass, int unitIdentityHash) {
            this.cpuIndex = cpuIndex;
            this.enabled = enabled;
            this.limitRate = limitRate;
            this.currentRate = currentRate;
            this.sleepNanosPerThrottlePoint = sleepNanosPerThrottlePoint;
            this.throttlePoints = throttlePoints;
            this.setBy = setBy;
            this.pending = pending;
            this.unit = unit;
            this.unitClass = unitClass;
            this.unitIdentityHash = unitIdentityHash;
        }

        /** @return the vCPU's index */
        public int getCpuIndex() {
            return cpuIndex;
        }

        /** @return whether a limit is set */
        public boolean isEnabled() {
            return enabled;
        }

        /** @return the limit, MB/s (0 when none) */
        public double getLimitRate() {
            return limitRate;
        }

        /** @return the rate measured over the last control period, MB/s */
        public double getCurrentRate() {
            return currentRate;
        }

        /** @return the current sleep at each throttle point, ns */
        public long getSleepNanosPerThrottlePoint() {
            return sleepNanosPerThrottlePoint;
        }

        /** @return throttle points hit since the vCPU was first seen */
        public long getThrottlePoints() {
            return throttlePoints;
        }

        /** @return who set the limit: {@code operator}, {@code governor}, or empty when none */
        public String getSetBy() {
            return setBy;
        }

        /** @return whether the limit waits for a vCPU not seen yet */
        public boolean isPending() {
            return pending;
        }

        /** @return what stands behind the index ({@code LinearMemory@1b6d3586}, {@code thread 'worker-3'}), or empty */
        public String getUnit() {
            return unit;
        }

        /** @return the space object's class name, or empty */
        public String getUnitClass() {
            return unitClass;
        }

        /** @return the space object's identity hash ({@code System.identityHashCode}), 0 when none */
        public int getUnitIdentityHash() {
            return unitIdentityHash;
        }
    }

    /** The answer of {@link #calcDirtyRate(double)}. */
    final class DirtyRate {
        private final double seconds;
        private final List<VcpuRate> vcpuRates;
        private final double totalRate;

        /**
         * @param seconds the window actually measured
         * @param vcpuRates per-vCPU rates, by cpu index
         * @param totalRate their sum, MB/s
         */
        @ConstructorParameters({"seconds", "vcpuRates", "totalRate"})
        public DirtyRate(double seconds, List<VcpuRate> vcpuRates, double totalRate) {
            this.seconds = seconds;
            this.vcpuRates = List.copyOf(vcpuRates);
            this.totalRate = totalRate;
        }

        /** @return the window actually measured, seconds */
        public double getSeconds() {
            return seconds;
        }

        /** @return per-vCPU rates, by cpu index */
        public List<VcpuRate> getVcpuRates() {
            return vcpuRates;
        }

        /** @return the sum of the per-vCPU rates, MB/s */
        public double getTotalRate() {
            return totalRate;
        }
    }

    /** One vCPU's (or unit's) rate in a {@link DirtyRate}. */
    final class VcpuRate {
        private final int cpuIndex;
        private final double dirtyRate;
        private final String unit;
        private final String unitClass;
        private final int unitIdentityHash;

        /**
         * @param cpuIndex the vCPU's index
         * @param dirtyRate MB/s over the window
         * @param unit what stands behind the index in one word, or empty
         * @param unitClass the space object's class, or empty
         * @param unitIdentityHash the space object's identity hash, 0 when none
         */
        @ConstructorParameters({"cpuIndex", "dirtyRate", "unit", "unitClass", "unitIdentityHash"})
        public VcpuRate(int cpuIndex, double dirtyRate, String unit, String unitClass, int unitIdentityHash) {
            this.cpuIndex = cpuIndex;
            this.dirtyRate = dirtyRate;
            this.unit = unit;
            this.unitClass = unitClass;
            this.unitIdentityHash = unitIdentityHash;
        }

        /** @return the vCPU's index */
        public int getCpuIndex() {
            return cpuIndex;
        }

        /** @return MB/s over the window */
        public double getDirtyRate() {
            return dirtyRate;
        }

        /** @return what stands behind the index, or empty */
        public String getUnit() {
            return unit;
        }

        /** @return the space object's class name, or empty */
        public String getUnitClass() {
            return unitClass;
        }

        /** @return the space object's identity hash, 0 when none */
        public int getUnitIdentityHash() {
            return unitIdentityHash;
        }
    }
}
