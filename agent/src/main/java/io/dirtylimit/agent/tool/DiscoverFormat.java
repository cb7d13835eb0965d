package io.dirtylimit.agent.tool;

import io.dirtylimit.agent.discover.DiscoverData;
import io.dirtylimit.agent.discover.DiscoverData.MethodStats;
import io.dirtylimit.agent.discover.DiscoverData.ParamStats;
import io.dirtylimit.agent.tool.DiscoverAnalysis.MethodFinding;
import io.dirtylimit.agent.tool.DiscoverAnalysis.ThreadFinding;
import io.dirtylimit.agent.tool.DiscoverAnalysis.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code discover}'s report as text for people and as JSON ({@code --json}): the same data. */
final class DiscoverFormat {
    /** Methods the text lists besides every store and possible store. */
    static final int TOP_METHODS = 20;
    private static final String NL = System.lineSeparator();

    private DiscoverFormat() {}

    static String text(DiscoverAnalysis analysis, String draft, List<String> draftProblems) {
        DiscoverData data = analysis.data;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "discover in process %d (java %s): %.2f s, %d of %d probed method(s) called"
                        + " (%d candidate(s))", data.pid(), data.javaVersion(), data.seconds(), data.methods().size(), data.probed(),
                data.candidates())).append(NL);
        out.append("probes removed: original bytes restored in ").append(data.restored().size()).append(" class(es)").append(NL);
        data.notes().forEach(note -> out.append("note: ").append(note).append(NL));
        data.errors().forEach(error -> out.append("error: ").append(error).append(NL));
        out.append(NL).append("threads, by calls of probed methods:").append(NL);
        out.append(String.format(Locale.ROOT, "%12s %12s %6s  %s", "calls/s", "store calls", "vcpu", "thread")).append(NL);
        for (ThreadFinding thread : analysis.threads) {
            out.append(String.format(Locale.ROOT, "%12s %12s %6s  %s", count(thread.callsPerSecond()),
                    thread.storeCalls() == 0 ? "-" : count(thread.storeCalls()), thread.vcpu() < 0 ? "-" : Integer.toString(thread.vcpu()),
                    thread.stats().name().isEmpty() ? "(threads beyond the first 64)" : thread.stats().name())).append(NL);
        }
        if (analysis.threads.isEmpty()) {
            out.append("  no thread called a probed method").append(NL);
        }
        out.append("proposed: vcpu-id ").append(analysis.vcpuRule);
        if (analysis.pattern != null && analysis.pattern.problem() != null) {
            out.append(" (check it: ").append(analysis.pattern.problem()).append(")");
        }
        out.append(NL).append(NL);
        List<MethodFinding> shown = analysis.shown(TOP_METHODS);
        out.append("methods, by calls/s").append(shown.size() < analysis.methods.size()
                ? " (the busiest " + TOP_METHODS + " and every store; --json lists all " + analysis.methods.size() + ")" : "")
                .append(":").append(NL);
        out.append(String.format(Locale.ROOT, "%12s %7s %8s  %s", "calls/s", "threads", "sampled", "method")).append(NL);
        for (MethodFinding method : shown) {
            method(out, method);
        }
        out.append(NL).append("draft profile (a draft: check it; --draft FILE saves it):").append(NL);
        for (String problem : draftProblems) {
            out.append("warning: the draft does not parse as it is: ").append(problem).append(NL);
        }
        out.append(draft);
        return out.toString();
    }

    private static void method(StringBuilder out, MethodFinding method) {
        MethodStats stats = method.stats();
        out.append(String.format(Locale.ROOT, "%12s %7d %8s  %s%s", count(method.callsPerSecond()), method.threads(),
                stats.sampledOneIn() <= 1 ? "all" : "1/" + stats.sampledOneIn(), stats.signature(),
                method.verdict() == Verdict.OTHER ? "" : "   [" + method.verdict().word
                        + (method.sameStoresAs() != null ? ", nested in another store" : "") + "]")).append(NL);
        String indent = " ".repeat(31);
        for (ParamStats param : stats.params()) {
            boolean address = param.arg() == method.address();
            out.append(indent).append("arg").append(param.arg()).append(' ').append(param.type()).append(": ")
                    .append(param.pages()).append(" page(s), ").append(range(param, address))
                    .append(address && method.verdict() != Verdict.OTHER ? "   <- address" : "").append(NL);
        }
        if (stats.arrayArg() >= 0 && stats.arrayMax() >= 0) {
            out.append(indent).append("arg").append(stats.arrayArg()).append(' ').append(stats.parameterTypes().get(stats.arrayArg()))
                    .append(": length ").append(stats.arrayMin() == stats.arrayMax() ? Long.toString(stats.arrayMax())
                            : stats.arrayMin() + " to " + stats.arrayMax()).append(NL);
        }
        if (method.size() != null) {
            out.append(indent).append(method.size()).append(NL);
        }
        for (String note : method.notes()) {
            out.append(indent).append(note).append(NL);
        }
        for (String maybe : method.maybes()) {
            out.append(indent).append("maybe: ").append(maybe).append(NL);
        }
    }

    private static String range(ParamStats param, boolean hex) {
        String values = param.min() == param.max() ? "always " + value(param.min(), hex)
                : value(param.min(), hex) + " to " + value(param.max(), hex);
        long low = param.lowBits();
        String aligned = low == 0 ? (param.max() == 0 && param.min() == 0 ? "" : ", 4096-byte aligned")
                : Long.lowestOneBit(low) > 1 ? ", " + Long.lowestOneBit(low) + "-byte aligned" : "";
        return values + aligned;
    }

    private static String value(long value, boolean hex) {
        return hex ? (value < 0 ? "-0x" + Long.toHexString(-value) : "0x" + Long.toHexString(value)) : Long.toString(value);
    }

    /** 950, 12.3k, 4.56M. */
    static String count(double value) {
        if (value < 10_000) {
            return String.format(Locale.ROOT, value == Math.rint(value) ? "%.0f" : "%.1f", value);
        }
        if (value < 10_000_000) {
            return String.format(Locale.ROOT, "%.1fk", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.2fM", value / 1e6);
    }

    static String json(DiscoverAnalysis analysis, String draft, List<String> draftProblems) {
        DiscoverData data = analysis.data;
        Json out = new Json();
        out.open('{');
        out.key("pid").number(data.pid()).key("java").string(data.javaVersion()).key("seconds").number(data.seconds())
                .key("candidates").number(data.candidates()).key("probed").number(data.probed())
                .key("notes").strings(data.notes()).key("errors").strings(data.errors()).key("restored").strings(data.restored());
        out.key("threads").open('[');
        for (ThreadFinding thread : analysis.threads) {
            out.open('{').key("id").number(thread.stats().id()).key("name").string(thread.stats().name())
                    .key("calls").number(thread.stats().calls()).key("calls-per-second").number(thread.callsPerSecond())
                    .key("store-calls").number(thread.storeCalls());
            out.key("vcpu");
            if (thread.vcpu() < 0) {
                out.nothing();
            } else {
                out.number(thread.vcpu());
            }
            out.close('}');
        }
        out.close(']');
        out.key("vcpu-id").string(analysis.vcpuRule);
        out.key("vcpu-id-problem");
        if (analysis.pattern == null || analysis.pattern.problem() == null) {
            out.nothing();
        } else {
            out.string(analysis.pattern.problem());
        }
        out.key("methods").open('[');
        for (MethodFinding method : analysis.methods) {
            jsonMethod(out, method);
        }
        out.close(']');
        out.key("draft").string(draft).key("draft-problems").strings(draftProblems);
        out.close('}');
        return out.toString();
    }

    private static void jsonMethod(Json out, MethodFinding method) {
        MethodStats stats = method.stats();
        out.open('{').key("class").string(stats.className()).key("method").string(stats.name())
                .key("parameters").strings(stats.parameterTypes()).key("static").bool(stats.isStatic())
                .key("returns").string(stats.returnType()).key("calls").number(stats.calls())
                .key("calls-per-second").number(method.callsPerSecond()).key("threads").number(method.threads())
                .key("sampled").number(stats.sampled()).key("sampled-one-in").number(stats.sampledOneIn())
                .key("receivers").number(stats.receivers() == MethodStats.MANY_RECEIVERS ? -1 : stats.receivers())
                .key("verdict").string(method.verdict().word.isEmpty() ? "other" : method.verdict().word.replace(' ', '-'));
        out.key("address-arg");
        if (method.address() < 0) {
            out.nothing();
        } else {
            out.number(method.address());
        }
        out.key("size");
        if (method.size() == null) {
            out.nothing();
        } else {
            out.string(method.size());
        }
        out.key("same-stores-as");
        if (method.sameStoresAs() == null) {
            out.nothing();
        } else {
            out.string(method.sameStoresAs());
        }
        out.key("params").open('[');
        for (ParamStats param : stats.params()) {
            out.open('{').key("arg").number(param.arg()).key("type").string(param.type()).key("pages").number(param.pages())
                    .key("min").number(param.min()).key("max").number(param.max())
                    .key("alignment").number(param.lowBits() == 0 ? 4096 : Long.lowestOneBit(param.lowBits()))
                    .key("role").string(param.arg() == method.address() ? "address" : "").close('}');
        }
        out.close(']');
        out.key("array");
        if (stats.arrayArg() < 0) {
            out.nothing();
        } else {
            out.open('{').key("arg").number(stats.arrayArg()).key("type").string(stats.parameterTypes().get(stats.arrayArg()))
                    .key("min-length").number(stats.arrayMin()).key("max-length").number(stats.arrayMax()).close('}');
        }
        out.key("notes").strings(method.notes()).key("maybe").strings(method.maybes());
        out.close('}');
    }

    /** A small JSON writer: values after keys or in arrays, commas where they belong. */
    private static final class Json {
        private final StringBuilder text = new StringBuilder();
        private final List<Boolean> first = new ArrayList<>();
        private boolean afterKey;

        Json open(char bracket) {
            value();
            text.append(bracket);
            first.add(true);
            return this;
        }

        Json close(char bracket) {
            text.append(bracket);
            first.remove(first.size() - 1);
            return this;
        }

        Json key(String key) {
            separate();
            quote(key);
            text.append(": ");
            afterKey = true;
            return this;
        }

        Json string(String value) {
            value();
            quote(value);
            return this;
        }

        Json number(double value) {
            value();
            text.append(value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                    : String.format(Locale.ROOT, "%.3f", value));
            return this;
        }

        Json bool(boolean value) {
            value();
            text.append(value);
            return this;
        }

        Json nothing() {
            value();
            text.append("null");
            return this;
        }

        Json strings(List<String> values) {
            open('[');
            values.forEach(this::string);
            return close(']');
        }

        private void value() {
            if (afterKey) {
                afterKey = false;
            } else {
                separate();
            }
        }

        private void separate() {
            if (first.isEmpty()) {
                return;
            }
            int last = first.size() - 1;
            if (!first.get(last)) {
                text.append(", ");
            }
            first.set(last, false);
        }

        private void quote(String value) {
            text.append('"');
            for (char c : value.toCharArray()) {
                switch (c) {
                    case '"' -> text.append("\\\"");
                    case '\\' -> text.append("\\\\");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    case '\t' -> text.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            text.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            text.append(c);
                        }
                    }
                }
            }
            text.append('"');
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
