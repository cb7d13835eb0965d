package io.dirtylimit.examples.toyvm;

import java.util.List;
import java.util.Locale;

/** The text of the monitor's {@code info} commands. */
final class MonitorInfo {
    private MonitorInfo() {}

    static String vcpus(Machine machine) {
        StringBuilder s = new StringBuilder();
        for (Vcpu vcpu : machine.vcpus()) {
            VcpuState state = vcpu.state();
            if (machine.userPaused() && state != VcpuState.UNPLUGGED) {
                state = VcpuState.PAUSED;
            }
            appendLine(s, String.format(Locale.ROOT, "* CPU #%d: thread=vcpu-%d state=%s workload=%s instructions=%d",
                    vcpu.index, vcpu.index, state.label(), vcpu.workload().describe(), vcpu.instructionsAcquire()));
        }
        return s.toString();
    }

    static String dirty(Machine machine) {
        StringBuilder s = new StringBuilder();
        int ringSize = machine.config().ringSize();
        appendLine(s, ringSize == 0
                ? "dirty tracking: dirty log (no ring), synced once a second"
                : "dirty tracking: ring of " + ringSize + " entries per vCPU, harvested at ring-full and once a second");
        List<VcpuSample> samples = machine.latestSamples();
        double total = 0;
        for (VcpuSample sample : samples) {
            total += sample.dirtyMbps();
            DirtyRing ring = machine.vcpu(sample.vcpu()).ring();
            String fill = ring == null ? "" : String.format(Locale.ROOT, ", ring %d/%d", ring.fillAcquire(), ringSize);
            appendLine(s, String.format(Locale.ROOT, "vcpu %d: %.1f MB/s, %d ring-full exits/s%s",
                    sample.vcpu(), sample.dirtyMbps(), sample.ringFullExits(), fill));
        }
        if (samples.isEmpty()) {
            appendLine(s, "no sample yet (the reaper samples once a second)");
        }
        long bitmapPages = machine.tracker().vmBitmapCountVolatile();
        appendLine(s, String.format(Locale.ROOT, "total: %.1f MB/s; VM dirty bitmap: %d pages (%.1f MiB) not yet taken by migration",
                total, bitmapPages, Units.pagesToMiB(bitmapPages)));
        return s.toString();
    }

    static String migrate(Migration migration) {
        if (migration == null) {
            return "no migration";
        }
        List<Migration.Pass> passes = migration.passes();
        StringBuilder s = new StringBuilder();
        appendLine(s, String.format(Locale.ROOT, "migration: %s, %s, %d passes, %d ms",
                migration.status(), migration.params().describe(), passes.size(), migration.elapsedMillis()));
        for (Migration.Pass p : passes) {
            appendLine(s, String.format(Locale.ROOT, "pass %d: sent %.1f MiB in %d ms, dirtied %.1f MiB meanwhile",
                    p.pass(), Units.bytesToMiB(p.bytesSent()), p.millis(), Units.bytesToMiB(p.bytesDirtied())));
        }
        return s.toString();
    }

    private static void appendLine(StringBuilder s, String line) {
        if (s.length() > 0) {
            s.append('\n');
        }
        s.append(line);
    }
}
