package io.dirtylimit.agent.tool;

import io.dirtylimit.agent.discover.DiscoverData;
import io.dirtylimit.agent.discover.DiscoverData.MethodStats;
import io.dirtylimit.agent.discover.DiscoverData.PairStats;
import io.dirtylimit.agent.discover.DiscoverData.ParamStats;
import io.dirtylimit.agent.discover.DiscoverData.ThreadStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code discover}'s measurements suggest: which methods store to guest memory (an integer
 * argument that spreads over many 4 KiB pages, a name that says write or store, not read or get),
 * which argument is the address and which gives the size, which threads are the vCPUs and how
 * their names number them. Heuristics, all of them: the report shows the evidence beside each
 * conclusion and the draft profile says it is a draft.
 */
final class DiscoverAnalysis {
    /** An argument whose values touched fewer distinct pages is not taken for an address. */
    static final long ADDRESS_MIN_PAGES = 32;
    /** A size argument above this is not taken for a size. */
    static final long MAX_SIZE = 1 << 20;
    /** An end argument further than this from the address is not taken for an end. */
    static final long MAX_END_DISTANCE = 16 << 20;
    /** A thread with less than this share of the busiest storing thread's store calls is not a vCPU. */
    static final double VCPU_SHARE = 0.01;

    private static final Set<String> STORE_WORDS = Set.of("write", "store", "put", "set", "fill", "copy", "poke", "dirty",
            "dirtied", "mark", "zero", "clear", "memset", "move", "update", "push", "insert", "modify", "swap", "xchg",
            "cmpxchg", "stw", "stb", "stl", "std", "stq", "st");
    private static final Set<String> LOAD_WORDS = Set.of("read", "load", "get", "peek", "fetch", "is", "has", "find", "lookup",
            "contains", "check", "translate", "query", "compare", "count", "hash", "equals", "to", "ld", "ldw", "ldb", "ldq");

    /** How a method looks. */
    enum Verdict {
        /** It writes guest memory on the vCPU threads: a store hook in the draft. */
        STORE("store"),
        /** It may: a commented hook in the draft. */
        POSSIBLE_STORE("possible store"),
        /** An address argument, but its name reads. */
        LOAD("load"),
        /** Nothing that looks like a guest memory access. */
        OTHER("");

        final String word;

        Verdict(String word) {
            this.word = word;
        }
    }

    /**
     * One method's reading.
     *
     * @param stats what was measured
     * @param callsPerSecond calls a second
     * @param threads threads that called it
     * @param verdict store, possible store, load or other
     * @param address the address argument's index, or -1
     * @param size the profile's size key ({@code size=arg3}), or null
     * @param exactSize whether that size is the store's (not only a bound of it)
     * @param notes why (the size's evidence, doubts)
     * @param maybes other keys that may fit better, for the user to judge
     * @param objectSpace whether several objects received these stores at overlapping addresses (guests at the same
     *     guest addresses): the hook takes {@code space=this}
     * @param sameStoresAs the method whose stores these calls are too (a nested call), or null
     */
    record MethodFinding(MethodStats stats, double callsPerSecond, int threads, Verdict verdict, int address, String size,
                         boolean exactSize, List<String> notes, List<String> maybes, boolean objectSpace, String sameStoresAs) {
        boolean isHook() {
            return verdict == Verdict.STORE && sameStoresAs == null;
        }

        /** The same finding as a possible store, with {@code notes}. */
        MethodFinding demoted(List<String> notes) {
            return new MethodFinding(stats, callsPerSecond, threads, Verdict.POSSIBLE_STORE, address, size, exactSize, notes, maybes, objectSpace,
                    null);
        }
    }

    /** A store's size key, and whether it is the store's size or only a bound of it. */
    record SizeChoice(String key, boolean exact) {}

    /**
     * One thread's reading.
     *
     * @param stats what was measured
     * @param callsPerSecond calls of probed methods a second
     * @param storeCalls calls of the methods found to store
     * @param vcpu the vCPU index the proposed pattern gives it, or -1
     */
    record ThreadFinding(ThreadStats stats, double callsPerSecond, long storeCalls, int vcpu) {}

    final DiscoverData data;
    final List<MethodFinding> methods;
    final List<ThreadFinding> threads;
    /** The storing threads' pattern, or null when no thread stores. */
    final DiscoverThreadPattern pattern;
    /**
     * The profile's vcpu-id statement's value: {@code thread-name "..."}, {@code first-dirty}, or
     * {@code space} when the stores' objects are guests at the same addresses (each object a unit).
     */
    final String vcpuRule;

    private DiscoverAnalysis(DiscoverData data, List<MethodFinding> methods, List<ThreadFinding> threads,
                             DiscoverThreadPattern pattern, String vcpuRule) {
        this.data = data;
        this.methods = methods;
        this.threads = threads;
        this.pattern = pattern;
        this.vcpuRule = vcpuRule;
    }

    static DiscoverAnalysis of(DiscoverData data) {
        double seconds = Math.max(data.seconds(), 1e-3);
        List<MethodFinding> first = new ArrayList<>();
        for (MethodStats method : data.methods()) {
            first.add(read(method, seconds, threadsCalling(data, method.id())));
        }
        List<ThreadStats> storing = storingThreads(data, first);
        DiscoverThreadPattern pattern = storing.isEmpty() ? null
                : DiscoverThreadPattern.of(storing.stream().map(ThreadStats::name).toList());
        List<MethodFinding> methods = boundedStores(nestedStores(onVcpuThreads(first, storing, data)));
        methods.sort(Comparator.comparingDouble(MethodFinding::callsPerSecond).reversed()
                .thenComparing(f -> f.stats().signature()));
        List<ThreadFinding> threads = new ArrayList<>();
        for (ThreadStats thread : data.threads()) {
            long storeCalls = 0;
            for (MethodFinding method : methods) {
                if (method.verdict() == Verdict.STORE) {
                    storeCalls += thread.callsOf(method.stats().id());
                }
            }
            Integer vcpu = pattern == null ? null : pattern.matched().get(thread.name());
            threads.add(new ThreadFinding(thread, thread.calls() / seconds, storeCalls, vcpu == null || storeCalls == 0 ? -1 : vcpu));
        }
        threads.sort(Comparator.comparingLong((ThreadFinding t) -> t.stats().calls()).reversed());
        String rule = pattern == null || pattern.regex() == null ? "first-dirty"
                : "thread-name \"" + pattern.regex().replace("\"", "\\\"") + "\"";
        if (methods.stream().anyMatch(m -> m.isHook() && m.objectSpace())) {
            rule = "space";
        }
        return new DiscoverAnalysis(data, methods, threads, pattern, rule);
    }

    private static int threadsCalling(DiscoverData data, int method) {
        return (int) data.threads().stream().filter(t -> t.callsOf(method) > 0).count();
    }

    // ---- one method

    private static MethodFinding read(MethodStats method, double seconds, int threads) {
        List<String> notes = new ArrayList<>();
        List<String> maybes = new ArrayList<>();
        boolean objectSpace = false;
        ParamStats address = address(method);
        Verdict verdict = verdict(method, address);
        String size = null;
        boolean exact = true;
        if (verdict == Verdict.STORE || verdict == Verdict.POSSIBLE_STORE) {
            SizeChoice choice = size(method, address, notes, maybes);
            size = choice.key();
            exact = choice.exact();
            if (address.type().equals("int") && address.min() < 0) {
                notes.add("arg" + address.arg() + " was negative in some calls: an int address above 2 GiB, read unsigned"
                        + " (the profile's default for int; signed(arg" + address.arg() + ") if the emulator means negative)");
            }
            int overlapping = overlappingReceivers(method, address.arg());
            if (overlapping > 1) {
                String objects = method.receivers() == MethodStats.MANY_RECEIVERS ? "more than 8" : Integer.toString(method.receivers());
                notes.add(objects + " objects received these calls, " + overlapping + " of them at overlapping addresses: guests"
                        + " at the same guest addresses, so space=this (a page tracker per object)");
                objectSpace = true;
            }
        }
        if (verdict == Verdict.POSSIBLE_STORE) {
            notes.add(nameWords(method.name()).stream().anyMatch(STORE_WORDS::contains)
                    ? "its name says it writes" : "its name does not say it writes; check what it does");
        }
        int addressArg = address == null || verdict == Verdict.OTHER ? -1 : address.arg();
        return new MethodFinding(method, method.calls() / seconds, threads, verdict, addressArg, size,
                exact, List.copyOf(notes), List.copyOf(maybes), objectSpace, null);
    }

    /** How many of the receivers sampled share an address range with another one (0 or 1: none do). */
    static int overlappingReceivers(MethodStats method, int arg) {
        List<DiscoverData.ReceiverRange> ranges = method.receiverRanges().stream().filter(r -> r.arg() == arg).toList();
        Set<Integer> overlapping = new LinkedHashSet<>();
        for (DiscoverData.ReceiverRange a : ranges) {
            for (DiscoverData.ReceiverRange b : ranges) {
                if (a.receiver() < b.receiver() && a.min() <= b.max() && b.min() <= a.max()) {
                    overlapping.add(a.receiver());
                    overlapping.add(b.receiver());
                }
            }
        }
        return overlapping.size();
    }

    /**
     * The argument that spreads over the most pages (at least {@link #ADDRESS_MIN_PAGES}); among those
     * with at least half as many, the start of a positive difference (an end follows it), else the first.
     */
    static ParamStats address(MethodStats method) {
        long most = method.params().stream().mapToLong(ParamStats::pages).max().orElse(0);
        if (most < ADDRESS_MIN_PAGES) {
            return null;
        }
        List<ParamStats> near = method.params().stream().filter(p -> p.pages() * 2 >= most).toList();
        for (ParamStats candidate : near) {
            for (ParamStats other : method.params()) {
                long[] diff = difference(method, candidate.arg(), other.arg());
                if (other != candidate && diff != null && diff[0] >= 1 && diff[1] <= MAX_END_DISTANCE && other.pages() * 2 >= most) {
                    return candidate;
                }
            }
        }
        return near.get(0);
    }

    private static Verdict verdict(MethodStats method, ParamStats address) {
        List<String> words = nameWords(method.name());
        boolean reads = LOAD_WORDS.contains(firstWord(method.name()));
        boolean writes = words.stream().anyMatch(STORE_WORDS::contains);
        if (address == null) {
            return reads ? Verdict.LOAD : Verdict.OTHER;
        }
        if (reads) {
            return Verdict.LOAD;
        }
        if (writes) {
            return Verdict.STORE;
        }
        if (method.returnType().equals("void") || method.arrayArg() >= 0) {
            return Verdict.POSSIBLE_STORE;
        }
        return Verdict.OTHER;
    }

    private static String firstWord(String name) {
        List<String> words = nameWords(name);
        return words.isEmpty() ? "" : words.get(0);
    }

    /** camelCase, snake_case and digits split into lower-case words: {@code write64} is [write, 64]. */
    static List<String> nameWords(String name) {
        List<String> words = new ArrayList<>();
        for (String part : name.split("(?<=[a-z0-9])(?=[A-Z])|_|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")) {
            if (!part.isEmpty()) {
                words.add(part.toLowerCase(Locale.ROOT));
            }
        }
        return words;
    }

    // ---- the size

    /** The store's size key, with its evidence in {@code notes} and the extended format's keys in {@code maybes}. */
    static SizeChoice size(MethodStats method, ParamStats address, List<String> notes, List<String> maybes) {
        SizeChoice fromArgument = sizeArgument(method, address, notes);
        if (fromArgument != null) {
            return fromArgument;
        }
        SizeChoice fromEnd = endArgument(method, address, notes, maybes);
        if (fromEnd != null) {
            return fromEnd;
        }
        SizeChoice fromArray = arrayLength(method, notes, maybes);
        if (fromArray != null) {
            return fromArray;
        }
        long low = address.lowBits();
        long alignment = low == 0 ? 8 : Math.min(8, Long.lowestOneBit(low));
        notes.add("no argument looks like a size: the addresses were " + alignment + "-byte aligned, so size=" + alignment
                + " (the address's page); correct it if the stores are wider");
        return new SizeChoice("size=" + alignment, true);
    }

    /** A small non-negative integer that does not spread over pages like the address: size=argN. */
    private static SizeChoice sizeArgument(MethodStats method, ParamStats address, List<String> notes) {
        List<ParamStats> fits = new ArrayList<>();
        for (ParamStats p : method.params()) {
            boolean typed = p.type().equals("int") || method.arrayArg() >= 0;
            boolean small = p.min() >= 0 && p.max() >= 1 && p.max() <= MAX_SIZE;
            boolean compact = p.pages() <= Math.max(2, address.pages() / 16);
            if (p != address && typed && small && compact) {
                fits.add(p);
            }
        }
        if (fits.isEmpty()) {
            return null;
        }
        // Never zero before sometimes zero (an offset starts at 0); then the last (sizes come last).
        fits.sort(Comparator.comparing((ParamStats p) -> p.min() < 1).thenComparing(ParamStats::arg, Comparator.reverseOrder()));
        ParamStats best = fits.get(0);
        for (ParamStats start : method.params()) {
            long[] diff = difference(method, start.arg(), best.arg());
            if (start == address || start == best || diff == null || diff[0] < 0) {
                continue;
            }
            if (start.max() > 0 && diff[0] == diff[1]) {
                notes.add("arg" + best.arg() + " - arg" + start.arg() + " was always " + diff[0] + ": arg" + best.arg()
                        + " looks like an end index from arg" + start.arg() + ", so size=" + diff[0]);
                return new SizeChoice("size=" + diff[0], true);
            }
            if (start.max() > 0) {
                notes.add("arg" + best.arg() + " may be an end index from arg" + start.arg() + " (size arg" + best.arg() + " - arg"
                        + start.arg() + ", " + diff[0] + " to " + diff[1] + "), which a profile cannot say: size=arg" + best.arg()
                        + " counts too many pages when arg" + start.arg() + " > 0");
            } else {
                notes.add("arg" + start.arg() + " was 0 in every call: if arg" + best.arg() + " is an end index from arg"
                        + start.arg() + ", size=arg" + best.arg() + " holds only while arg" + start.arg() + " is 0");
            }
        }
        notes.add("size: arg" + best.arg() + " (" + range(best) + ")");
        return new SizeChoice("size=arg" + best.arg(), true);
    }

    /** An integer a little above the address in every call: the store's end; size= the distance when it is constant. */
    private static SizeChoice endArgument(MethodStats method, ParamStats address, List<String> notes, List<String> maybes) {
        for (ParamStats end : method.params()) {
            long[] diff = difference(method, address.arg(), end.arg());
            if (end == address || diff == null || diff[0] < 1 || diff[1] > MAX_END_DISTANCE) {
                continue;
            }
            notes.add("arg" + end.arg() + " - arg" + address.arg() + (diff[0] == diff[1] ? " was always " + diff[0]
                    : " ranged from " + diff[0] + " to " + diff[1]) + ": arg" + end.arg() + " looks like the store's exclusive end"
                    + " address, so end=arg" + end.arg());
            return new SizeChoice("end=arg" + end.arg(), true);
        }
        return null;
    }

    private static SizeChoice arrayLength(MethodStats method, List<String> notes, List<String> maybes) {
        if (method.arrayArg() < 0 || method.arrayMax() < 0) {
            return null;
        }
        int arg = method.arrayArg();
        int width = elementBytes(method.parameterTypes().get(arg));
        if (width == 1) {
            notes.add("size: the length of arg" + arg + " (" + method.arrayMin() + " to " + method.arrayMax() + ")");
            return new SizeChoice("size=length(arg" + arg + ")", true);
        }
        if (width > 1) {
            notes.add("size: the length of arg" + arg + " (" + method.arrayMin() + " to " + method.arrayMax() + ") in elements of "
                    + width + " bytes");
            return new SizeChoice("size=length(arg" + arg + ")*" + width, true);
        }
        return null;
    }

    private static int elementBytes(String arrayType) {
        return switch (arrayType) {
            case "byte[]", "boolean[]" -> 1;
            case "short[]", "char[]" -> 2;
            case "int[]", "float[]" -> 4;
            case "long[]", "double[]" -> 8;
            default -> -1;
        };
    }

    /** min and max of {@code arg(to) - arg(from)}, or null when not measured. */
    static long[] difference(MethodStats method, int from, int to) {
        for (PairStats pair : method.pairs()) {
            if (pair.first() == from && pair.second() == to && pair.min() <= pair.max()) {
                return new long[] {pair.min(), pair.max()};
            }
            if (pair.first() == to && pair.second() == from && pair.min() <= pair.max()) {
                return new long[] {-pair.max(), -pair.min()};
            }
        }
        return null;
    }

    static String range(ParamStats p) {
        return p.min() == p.max() ? "always " + p.min() : p.min() + " to " + p.max();
    }

    // ---- the threads, and what they decide about the methods

    /** Threads that called the store methods, by those calls; those with a tiny share left out. */
    private static List<ThreadStats> storingThreads(DiscoverData data, List<MethodFinding> methods) {
        for (Verdict verdict : List.of(Verdict.STORE, Verdict.POSSIBLE_STORE)) {
            List<long[]> ranked = new ArrayList<>();
            for (int i = 0; i < data.threads().size(); i++) {
                ThreadStats thread = data.threads().get(i);
                long calls = 0;
                for (MethodFinding method : methods) {
                    if (method.verdict() == verdict) {
                        calls += thread.callsOf(method.stats().id());
                    }
                }
                if (calls > 0 && !thread.name().isEmpty()) {
                    ranked.add(new long[] {i, calls});
                }
            }
            if (ranked.isEmpty()) {
                continue;
            }
            ranked.sort(Comparator.comparingLong((long[] r) -> r[1]).reversed());
            long top = ranked.get(0)[1];
            return ranked.stream().filter(r -> r[1] >= top * VCPU_SHARE).map(r -> data.threads().get((int) r[0])).toList();
        }
        return List.of();
    }

    /** A store that no vCPU thread calls is only a possible one. */
    private static List<MethodFinding> onVcpuThreads(List<MethodFinding> methods, List<ThreadStats> vcpus, DiscoverData data) {
        List<MethodFinding> out = new ArrayList<>();
        for (MethodFinding method : methods) {
            boolean called = vcpus.stream().anyMatch(t -> t.callsOf(method.stats().id()) > 0);
            if (method.verdict() == Verdict.STORE && !called) {
                List<String> notes = new ArrayList<>(method.notes());
                notes.add("no vCPU thread called it");
                out.add(method.demoted(List.copyOf(notes)));
            } else {
                out.add(method);
            }
        }
        return out;
    }

    /**
     * Two stores called as often, by the same threads, over as many pages are one store through a
     * nested call (a CPU's store instruction, the bus's write, the RAM's dirty marking): one hook is
     * enough. The one kept takes the data (an array argument) and its size from an argument, and its
     * name starts with a store's verb, as a memory's write method does; else the first by name.
     */
    private static List<MethodFinding> nestedStores(List<MethodFinding> methods) {
        List<MethodFinding> stores = new ArrayList<>(methods.stream().filter(m -> m.verdict() == Verdict.STORE).toList());
        stores.sort(Comparator.comparing((MethodFinding m) -> m.stats().arrayArg() < 0)
                .thenComparing(m -> m.size() == null || !m.size().contains("arg"))
                .thenComparing(m -> !STORE_WORDS.contains(firstWord(m.stats().name())))
                .thenComparing(m -> m.stats().signature()));
        List<MethodFinding> kept = new ArrayList<>();
        List<MethodFinding> out = new ArrayList<>();
        for (MethodFinding store : stores) {
            MethodFinding twin = kept.stream().filter(k -> sameStores(k, store)).findFirst().orElse(null);
            if (twin == null) {
                kept.add(store);
                out.add(store);
            } else {
                out.add(new MethodFinding(store.stats(), store.callsPerSecond(), store.threads(), store.verdict(), store.address(),
                        store.size(), store.exactSize(), store.notes(), store.maybes(), store.objectSpace(), twin.stats().signature()));
            }
        }
        methods.stream().filter(m -> m.verdict() != Verdict.STORE).forEach(out::add);
        return commonCallees(out);
    }

    /**
     * A store called by two or more of the other stores (an emulator's own dirty marking, which its
     * write and fill both end in) makes as many calls as they do together, by the same threads over
     * the same range: its stores are theirs, so it is marked as their twin and not hooked again.
     */
    private static List<MethodFinding> commonCallees(List<MethodFinding> methods) {
        List<MethodFinding> hooks = methods.stream().filter(MethodFinding::isHook).toList();
        List<MethodFinding> out = new ArrayList<>();
        for (MethodFinding method : methods) {
            List<MethodFinding> callers = method.isHook() ? callersOf(method, hooks) : List.of();
            if (callers.size() < 2) {
                out.add(method);
            } else {
                out.add(new MethodFinding(method.stats(), method.callsPerSecond(), method.threads(), method.verdict(), method.address(),
                        method.size(), method.exactSize(), method.notes(), method.maybes(), method.objectSpace(),
                        String.join(" and ", callers.stream().map(c -> c.stats().signature()).toList())));
            }
        }
        return out;
    }

    /** The other stores over the same range by as many threads, when their calls add up to this one's (2 %). */
    private static List<MethodFinding> callersOf(MethodFinding callee, List<MethodFinding> hooks) {
        List<MethodFinding> callers = hooks.stream().filter(h -> h != callee && h.threads() == callee.threads()
                && h.stats().calls() < callee.stats().calls() && sameRange(h, callee)).toList();
        long sum = callers.stream().mapToLong(c -> c.stats().calls()).sum();
        return Math.abs(sum - callee.stats().calls()) <= 0.02 * callee.stats().calls() ? callers : List.of();
    }

    /** Address ranges whose ends are within 5 % of the larger span (the ends of a sampled range move a little). */
    private static boolean sameRange(MethodFinding a, MethodFinding b) {
        ParamStats addressA = a.stats().param(a.address());
        ParamStats addressB = b.stats().param(b.address());
        double span = Math.max(1.0, Math.max((double) addressA.max() - addressA.min(), (double) addressB.max() - addressB.min()));
        return Math.abs((double) addressA.min() - addressB.min()) <= 0.05 * span
                && Math.abs((double) addressA.max() - addressB.max()) <= 0.05 * span;
    }

    /**
     * As many calls (2 %), by as many threads, over the same address range (5 % of its span: the
     * ends of a sampled range move a little) and about as many pages (each sketch is off by up to
     * 20 % now and then, so 30 %).
     */
    private static boolean sameStores(MethodFinding a, MethodFinding b) {
        double calls = Math.abs(a.stats().calls() - b.stats().calls()) / (double) Math.max(1, Math.max(a.stats().calls(), b.stats().calls()));
        ParamStats addressA = a.stats().param(a.address());
        ParamStats addressB = b.stats().param(b.address());
        boolean sameRange = sameRange(a, b);
        double pages = Math.abs(addressA.pages() - addressB.pages()) / (double) Math.max(1, Math.max(addressA.pages(), addressB.pages()));
        return calls <= 0.02 && a.threads() == b.threads() && sameRange && pages <= 0.3;
    }

    /**
     * A store whose size is only bounded (an end that varies, which the main profile format cannot
     * say) would count pages it does not write: where stores of exact size were found besides, it is
     * left as a possible store (an emulator's own dirty marking, called by the stores found, is one).
     */
    private static List<MethodFinding> boundedStores(List<MethodFinding> methods) {
        boolean exactOnes = methods.stream().anyMatch(m -> m.isHook() && m.exactSize());
        List<MethodFinding> out = new ArrayList<>();
        for (MethodFinding method : methods) {
            if (exactOnes && method.isHook() && !method.exactSize()) {
                List<String> notes = new ArrayList<>(method.notes());
                notes.add("its size is only bounded, and stores of exact size were found: those may be the same stores");
                out.add(method.demoted(List.copyOf(notes)));
            } else {
                out.add(method);
            }
        }
        return out;
    }

    /** Methods the report shows: the busiest {@code top}, and every store or possible store. */
    List<MethodFinding> shown(int top) {
        List<MethodFinding> shown = new ArrayList<>();
        Set<Integer> ids = new LinkedHashSet<>();
        for (int i = 0; i < methods.size(); i++) {
            MethodFinding method = methods.get(i);
            boolean store = method.verdict() == Verdict.STORE || method.verdict() == Verdict.POSSIBLE_STORE;
            if ((i < top || store) && ids.add(method.stats().id())) {
                shown.add(method);
            }
        }
        return shown;
    }
}
