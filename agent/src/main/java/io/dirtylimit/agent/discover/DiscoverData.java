package io.dirtylimit.agent.discover;

import java.util.ArrayList;
import java.util.List;

/**
 * What one discover measured, as it travels from the emulator to the tool: one line per fact,
 * tab-separated, text escaped ({@link #lines()} writes them, {@link #parse} reads them back). The
 * tool ranks, proposes and renders; this is only the data.
 *
 * @param pid the emulator's process id
 * @param javaVersion its Java version
 * @param seconds how long the probes counted
 * @param candidates methods that matched the packages and classes
 * @param probed methods probed (candidates beyond max-methods are cut)
 * @param notes what was left out or cut, and why
 * @param errors what failed while probing or restoring
 * @param restored the classes whose original bytes were restored
 * @param methods per probed method
 * @param threads per thread that called a probed method
 */
public record DiscoverData(long pid, String javaVersion, double seconds, int candidates, int probed, List<String> notes,
                           List<String> errors, List<String> restored, List<MethodStats> methods, List<ThreadStats> threads) {
    /** The first line's value; a tool reading another version refuses the data. */
    public static final String FORMAT = "dirtylimit-discover 1";

    /**
     * One integer argument's values over the sampled calls.
     *
     * @param arg its index among the method's parameters
     * @param type {@code int} or {@code long}
     * @param pages distinct 4 KiB pages its values touched (estimated)
     * @param min its smallest value
     * @param max its largest value
     * @param lowBits the OR of every value's low 12 bits (alignment)
     */
    public record ParamStats(int arg, String type, long pages, long min, long max, long lowBits) {}

    /**
     * The differences {@code arg(second) - arg(first)} over the sampled calls.
     *
     * @param first the first argument's index
     * @param second the second argument's index
     * @param min the smallest difference
     * @param max the largest difference
     */
    public record PairStats(int first, int second, long min, long max) {}

    /**
     * One receiver's values of one integer argument over the sampled calls on it.
     *
     * @param receiver the receiver's number (0 to 7, in order of first sampled call)
     * @param arg the argument's index
     * @param min its smallest value
     * @param max its largest value
     */
    public record ReceiverRange(int receiver, int arg, long min, long max) {}

    /**
     * One probed method.
     *
     * @param id its index in this discover
     * @param className its class
     * @param name its name
     * @param parameterTypes its parameter types, Java source names
     * @param isStatic whether it is static
     * @param returnType its return type
     * @param calls calls counted
     * @param sampled calls sampled for the values
     * @param sampledOneIn the largest sampling interval it had (1: every call)
     * @param receivers distinct objects that received the sampled calls ({@link #MANY_RECEIVERS}: more than 8)
     * @param arrayArg the first array argument's index, or -1
     * @param arrayMin its smallest length (sampled, non-null), or -1
     * @param arrayMax its largest length, or -1
     * @param params the integer arguments
     * @param pairs differences between integer arguments
     * @param receiverRanges each of the first 8 receivers' integer argument ranges
     */
    public record MethodStats(int id, String className, String name, List<String> parameterTypes, boolean isStatic,
                              String returnType, long calls, long sampled, long sampledOneIn, int receivers, int arrayArg,
                              long arrayMin, long arrayMax, List<ParamStats> params, List<PairStats> pairs,
                              List<ReceiverRange> receiverRanges) {
        /** {@link #receivers} when more than 8 objects received the calls. */
        public static final int MANY_RECEIVERS = ProbeRecorder.RECEIVER_SLOTS + 1;

        /** {@code Class.method(types)}. */
        public String signature() {
            return className + "." + name + "(" + String.join(", ", parameterTypes) + ")";
        }

        /** {@code method(types)}, as a profile's hook line writes it. */
        public String profileMethod() {
            return name + "(" + String.join(", ", parameterTypes) + ")";
        }

        /** The integer argument {@code arg}'s statistics, or null. */
        public ParamStats param(int arg) {
            return params.stream().filter(p -> p.arg() == arg).findFirst().orElse(null);
        }
    }

    /**
     * One thread that called probed methods.
     *
     * @param id its thread id
     * @param name its name at the end of the discover (empty for the shared slot of threads beyond 64)
     * @param calls calls of probed methods it made
     * @param callsByMethod calls per method id (only methods it called)
     */
    public record ThreadStats(long id, String name, long calls, List<long[]> callsByMethod) {
        /** Its calls of method {@code id}. */
        public long callsOf(int method) {
            for (long[] pair : callsByMethod) {
                if (pair[0] == method) {
                    return pair[1];
                }
            }
            return 0;
        }
    }

    /**
     * The data as lines.
     *
     * @return the lines, first {@link #FORMAT}
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(FORMAT);
        lines.add(join("pid", pid));
        lines.add(join("java", javaVersion));
        lines.add(join("seconds", seconds));
        lines.add(join("candidates", candidates));
        lines.add(join("probed", probed));
        notes.forEach(n -> lines.add(join("note", n)));
        errors.forEach(e -> lines.add(join("error", e)));
        restored.forEach(r -> lines.add(join("restored", r)));
        for (MethodStats m : methods) {
            lines.add(join("method", m.id, m.className, m.name, String.join(",", m.parameterTypes), m.isStatic, m.returnType,
                    m.calls, m.sampled, m.sampledOneIn, m.receivers, m.arrayArg, m.arrayMin, m.arrayMax));
            for (ParamStats p : m.params) {
                lines.add(join("param", m.id, p.arg, p.type, p.pages, p.min, p.max, p.lowBits));
            }
            for (PairStats p : m.pairs) {
                lines.add(join("pair", m.id, p.first, p.second, p.min, p.max));
            }
            for (ReceiverRange r : m.receiverRanges) {
                lines.add(join("receiver", m.id, r.receiver, r.arg, r.min, r.max));
            }
        }
        for (ThreadStats t : threads) {
            lines.add(join("thread", t.id, t.name, t.calls));
            for (long[] pair : t.callsByMethod) {
                lines.add(join("thread-calls", t.id, pair[0], pair[1]));
            }
        }
        return lines;
    }

    /**
     * Reads {@link #lines()} back.
     *
     * @param lines the lines
     * @return the data
     * @throws IllegalArgumentException when they are not this format
     */
    public static DiscoverData parse(List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) {
            throw new IllegalArgumentException("not discover data of format '" + FORMAT + "': "
                    + (lines.isEmpty() ? "nothing" : "'" + lines.get(0) + "'"));
        }
        Builder data = new Builder();
        for (String line : lines.subList(1, lines.size())) {
            try {
                data.read(split(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad discover data line '" + line + "': " + e, e);
            }
        }
        return data.build();
    }

    private static final class Builder {
        long pid;
        String java = "";
        double seconds;
        int candidates;
        int probed;
        final List<String> notes = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final List<String> restored = new ArrayList<>();
        final List<Object[]> methods = new ArrayList<>();
        final List<List<ParamStats>> params = new ArrayList<>();
        final List<List<PairStats>> pairs = new ArrayList<>();
        final List<List<ReceiverRange>> receivers = new ArrayList<>();
        final List<Object[]> threads = new ArrayList<>();
        final List<List<long[]>> threadCalls = new ArrayList<>();

        void read(String[] f) {
            switch (f[0]) {
                case "pid" -> pid = Long.parseLong(f[1]);
                case "java" -> java = f[1];
                case "seconds" -> seconds = Double.parseDouble(f[1]);
                case "candidates" -> candidates = Integer.parseInt(f[1]);
                case "probed" -> probed = Integer.parseInt(f[1]);
                case "note" -> notes.add(f[1]);
                case "error" -> errors.add(f[1]);
                case "restored" -> restored.add(f[1]);
                case "method" -> {
                    methods.add(f);
                    params.add(new ArrayList<>());
                    pairs.add(new ArrayList<>());
                    receivers.add(new ArrayList<>());
                }
                case "param" -> last(params, f[1]).add(new ParamStats(Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]),
                        Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7])));
                case "pair" -> last(pairs, f[1]).add(new PairStats(Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                        Long.parseLong(f[4]), Long.parseLong(f[5])));
                case "receiver" -> last(receivers, f[1]).add(new ReceiverRange(Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                        Long.parseLong(f[4]), Long.parseLong(f[5])));
                case "thread" -> {
                    threads.add(f);
                    threadCalls.add(new ArrayList<>());
                }
                case "thread-calls" -> {
                    if (threads.isEmpty() || !threads.get(threads.size() - 1)[1].equals(f[1])) {
                        throw new IllegalArgumentException("thread-calls before its thread");
                    }
                    threadCalls.get(threadCalls.size() - 1).add(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
                }
                default -> { } // a later format's extra facts: ignored
            }
        }

        private <T> List<T> last(List<List<T>> lists, String methodId) {
            if (methods.isEmpty() || !methods.get(methods.size() - 1)[1].equals(methodId)) {
                throw new IllegalArgumentException("a method's detail before the method");
            }
            return lists.get(lists.size() - 1);
        }

        DiscoverData build() {
            List<MethodStats> methodStats = new ArrayList<>();
            for (int i = 0; i < methods.size(); i++) {
                String[] f = (String[]) methods.get(i);
                methodStats.add(new MethodStats(Integer.parseInt(f[1]), f[2], f[3],
                        f[4].isEmpty() ? List.of() : List.of(f[4].split(",")), Boolean.parseBoolean(f[5]), f[6],
                        Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), Integer.parseInt(f[10]),
                        Integer.parseInt(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), List.copyOf(params.get(i)),
                        List.copyOf(pairs.get(i)), List.copyOf(receivers.get(i))));
            }
            List<ThreadStats> threadStats = new ArrayList<>();
            for (int i = 0; i < threads.size(); i++) {
                String[] f = (String[]) threads.get(i);
                threadStats.add(new ThreadStats(Long.parseLong(f[1]), f[2], Long.parseLong(f[3]), List.copyOf(threadCalls.get(i))));
            }
            return new DiscoverData(pid, java, seconds, candidates, probed, List.copyOf(notes), List.copyOf(errors), List.copyOf(restored),
                    List.copyOf(methodStats), List.copyOf(threadStats));
        }
    }

    private static String join(Object... fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            line.append(escape(String.valueOf(fields[i])));
        }
        return line.toString();
    }

    /** Backslash, tab, newline and carriage return escaped, so any name fits on one field. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String[] split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(++i);
                field.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields.toArray(String[]::new);
    }
}
