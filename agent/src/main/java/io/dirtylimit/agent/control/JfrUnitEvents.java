package io.dirtylimit.agent.control;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** The JFR unit event; only loaded through {@link UnitEvents} when jdk.jfr is present. */
final class JfrUnitEvents {
    private JfrUnitEvents() {}

    /** Registers the periodic event for {@code limits}' units; returns what removes it. */
    static Runnable register(LimitService limits) {
        Runnable hook = () -> emit(limits);
        FlightRecorder.addPeriodicEvent(UnitDirtyLimit.class, hook);
        return () -> FlightRecorder.removePeriodicEvent(hook);
    }

    private static void emit(LimitService limits) {
        for (LimitService.Row row : limits.query()) {
            if (row.unit() == null || row.pending()) {
                continue;
            }
            UnitDirtyLimit event = new UnitDirtyLimit();
            event.cpuIndex = row.cpu();
            event.unit = row.unit().describe();
            event.unitClass = row.unit().isSpace() ? row.unit().className() : "";
            event.identityHash = row.unit().identityHashHex();
            event.thread = row.unit().isSpace() ? "" : row.unit().threadName();
            event.limited = row.enabled();
            event.limitRate = row.limitMbps();
            event.currentRate = row.currentMbps();
            event.throttlePoints = row.throttlePoints();
            event.commit();
        }
    }

    @Name("io.dirtylimit.UnitDirtyLimit")
    @Label("Unit Dirty Limit")
    @Category("dirtylimit")
    @Description("Periodic snapshot of every unit (a vcpu-id space object or a first-dirty thread): what stands behind"
            + " its index, its limit and its rate")
    @Period("1 s")
    @StackTrace(false)
    static final class UnitDirtyLimit extends Event {
        @Label("CPU Index")
        @Description("The unit's index, as set --cpu N and io.dirtylimit.VcpuDirtyLimit name it")
        int cpuIndex;

        @Label("Unit")
        @Description("LinearMemory@1b6d3586 or thread 'worker-3'")
        String unit;

        @Label("Object Class")
        @Description("The space object's class; empty for a thread")
        String unitClass;

        @Label("Identity Hash")
        @Description("The space object's System.identityHashCode, hex; empty for a thread")
        String identityHash;

        @Label("Thread")
        @Description("The first-dirty thread holding the index; empty for a space")
        String thread;

        @Label("Limited")
        boolean limited;

        @Label("Limit (MB/s)")
        double limitRate;

        @Label("Current Rate (MB/s)")
        double currentRate;

        @Label("Throttle Points Hit")
        long throttlePoints;
    }
}
