package io.dirtylimit.bench.evidence;

import java.util.Locale;

/**
 * One rate sample of one vCPU: the rate over the interval ending at {@code tSeconds} after the limit
 * was set (the simulator: one control period; the toy VM: its own one-second statistics).
 *
 * @param source {@code sim} or {@code real}
 * @param policy variant label
 * @param scenario scenario name
 * @param tSeconds end of the sample's interval, seconds since the limit was set
 * @param vcpu vCPU index
 * @param rateMBps measured dirty rate
 * @param limitMBps the limit
 * @param demandMBps the unthrottled rate over the interval (the toy VM: the guest's configured mean)
 * @param ips guest instructions per second (toy VM), NaN in the simulator
 * @param sleptMs time asleep in the interval (simulator), NaN on the toy VM
 * @param worstWindow the run's most pages in any 100 ms window after the limit, over what the limit
 *     allows (simulator; the same on every sample of a run), NaN on the toy VM (its statistics are
 *     once a second)
 */
record Sample(String source, String policy, String scenario, double tSeconds, int vcpu, double rateMBps,
        double limitMBps, double demandMBps, double ips, double sleptMs, double worstWindow) {

    static final String CSV_HEADER =
            "source,policy,scenario,t_s,vcpu,rate_mbps,limit_mbps,target_mbps,demand_mbps,ips,slept_ms,worst_window";

    /** A sample without a worst window (the toy VM's). */
    Sample(String source, String policy, String scenario, double tSeconds, int vcpu, double rateMBps,
            double limitMBps, double demandMBps, double ips, double sleptMs) {
        this(source, policy, scenario, tSeconds, vcpu, rateMBps, limitMBps, demandMBps, ips, sleptMs, Double.NaN);
    }

    /** What the vCPU should reach: its limit, or its demand if lower. */
    double targetMBps() {
        return Math.min(limitMBps, demandMBps);
    }

    String csv() {
        return String.format(Locale.ROOT, "%s,%s,%s,%.3f,%d,%.3f,%.3f,%.3f,%.3f,%s,%s,%s", source, policy, scenario,
                tSeconds, vcpu, rateMBps, limitMBps, targetMBps(), demandMBps, num(ips, "%.0f"), num(sleptMs, "%.3f"),
                num(worstWindow, "%.3f"));
    }

    private static String num(double v, String format) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
    }
}
