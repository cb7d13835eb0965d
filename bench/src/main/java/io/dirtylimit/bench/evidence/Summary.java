package io.dirtylimit.bench.evidence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The metrics of every (scenario, variant) run of one source, in run order. */
final class Summary {
    /** One run's metrics, its mean rate over the steady half and its worst 100 ms window (NaN: not measured). */
    record Row(String source, String scenario, String policy, SeriesMetrics m, double meanRateMBps, double limitMBps,
            double worstWindow) {}

    final List<Row> rows;

    private Summary(List<Row> rows) {
        this.rows = rows;
    }

    static Summary of(List<Sample> samples) {
        Map<String, List<Sample>> runs = new LinkedHashMap<>();
        for (Sample s : samples) {
            runs.computeIfAbsent(s.source() + "|" + s.scenario() + "|" + s.policy(), k -> new ArrayList<>()).add(s);
        }
        List<Row> rows = new ArrayList<>();
        for (List<Sample> run : runs.values()) {
            Sample first = run.get(0);
            List<Sample> half = run.subList(run.size() / 2, run.size());
            double mean = half.stream().mapToDouble(Sample::rateMBps).average().orElse(0);
            rows.add(new Row(first.source(), first.scenario(), first.policy(), SeriesMetrics.of(run), mean, first.limitMBps(),
                    first.worstWindow()));
        }
        return new Summary(rows);
    }

    /** One metric by variant and scenario. */
    Map<String, Map<String, Double>> metric(ToDoubleFunction<SeriesMetrics> f) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(r.policy(), k -> new LinkedHashMap<>()).put(r.scenario(), f.applyAsDouble(r.m()));
        }
        return out;
    }

    List<String> markdown() {
        List<String> lines = new ArrayList<>();
        boolean windows = rows.stream().anyMatch(r -> !Double.isNaN(r.worstWindow()));
        lines.add("| scenario | policy | settle (s) | mean err % | p95 err % | overshoot % | slowdown % | mean rate, 2nd half (MB/s) | limit |"
                + (windows ? " worst 100 ms window / limit |" : ""));
        lines.add("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (windows ? " ---: |" : ""));
        for (Row r : rows) {
            lines.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |", r.scenario(), r.policy(),
                    settle(r.m()), pct(r.m().meanErrPct()), pct(r.m().p95ErrPct()), pct(r.m().overshootPct()),
                    pct(r.m().slowdownPct()), num(r.meanRateMBps()), RealRuns.fmt(r.limitMBps()))
                    + (windows ? " " + window(r.worstWindow()) + " |" : ""));
        }
        return lines;
    }

    static String settle(SeriesMetrics m) {
        return m.settled() ? String.format(Locale.ROOT, "%.1f", m.settleSeconds()) : "never";
    }

    static String window(double ratio) {
        return Double.isNaN(ratio) ? "-" : ratio >= 100 ? String.format(Locale.ROOT, "%.0f", ratio)
                : String.format(Locale.ROOT, "%.2f", ratio);
    }

    static String pct(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static List<String> csv(Summary... summaries) {
        List<String> lines = new ArrayList<>();
        lines.add("source,scenario,policy,settle_s,mean_err_pct,p95_err_pct,overshoot_pct,slowdown_pct,mean_rate_mbps,limit_mbps,"
                + "worst_window");
        for (Summary s : summaries) {
            for (Row r : s.rows) {
                lines.add(String.format(Locale.ROOT, "%s,%s,%s,%s,%.3f,%.3f,%.3f,%.3f,%.3f,%s,%s", r.source(), r.scenario(),
                        r.policy(), r.m().settled() ? String.format(Locale.ROOT, "%.1f", r.m().settleSeconds()) : "never",
                        r.m().meanErrPct(), r.m().p95ErrPct(), r.m().overshootPct(), r.m().slowdownPct(), r.meanRateMBps(),
                        RealRuns.fmt(r.limitMBps()), Double.isNaN(r.worstWindow()) ? ""
                                : String.format(Locale.ROOT, "%.3f", r.worstWindow())));
            }
        }
        return lines;
    }
}
