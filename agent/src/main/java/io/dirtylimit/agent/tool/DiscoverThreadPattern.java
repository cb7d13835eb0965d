package io.dirtylimit.agent.tool;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code vcpu-id thread-name} pattern from the names of the threads that store: names are split
 * into digit and non-digit runs; the threads sharing the most common shape (same non-digit runs)
 * are the vCPUs; the digit run that differs between them (the last one when one thread, or when
 * several differ) is the vCPU index, {@code (\d+)}; the other runs are kept as they are.
 *
 * @param regex the pattern, or null when the names carry no number
 * @param matched the names it matches, with the vCPU index each gives
 * @param problem why the pattern may not be right (two threads with one index, a storing thread it
 *     leaves out), or null
 */
record DiscoverThreadPattern(String regex, Map<String, Integer> matched, String problem) {
    private static final Pattern RUNS = Pattern.compile("\\d+|\\D+");

    /**
     * The pattern for {@code names}, most important first (they are the storing threads, by calls).
     *
     * @param names thread names, not empty
     * @return the pattern
     */
    static DiscoverThreadPattern of(List<String> names) {
        Map<String, List<List<String>>> byShape = new LinkedHashMap<>();
        for (String name : names) {
            List<String> runs = runs(name);
            byShape.computeIfAbsent(shape(runs), s -> new ArrayList<>()).add(runs);
        }
        List<List<String>> group = byShape.values().iterator().next();
        for (List<List<String>> candidate : byShape.values()) {
            if (candidate.size() > group.size()) {
                group = candidate;
            }
        }
        int index = indexRun(group);
        if (index < 0) {
            return new DiscoverThreadPattern(null, Map.of(), "the thread names carry no number");
        }
        String regex = regex(group, index);
        Map<String, Integer> matched = new LinkedHashMap<>();
        Set<Integer> indexes = new HashSet<>();
        String problem = null;
        Pattern compiled = Pattern.compile(regex);
        for (String name : names) {
            Matcher matcher = compiled.matcher(name);
            if (!matcher.matches()) {
                problem = problem != null ? problem : "thread '" + name + "' also stores but does not match the pattern";
                continue;
            }
            int vcpu;
            try {
                vcpu = Integer.parseInt(matcher.group(1));
            } catch (NumberFormatException e) {
                problem = "thread '" + name + "' has a number too large for a vCPU index";
                continue;
            }
            if (!indexes.add(vcpu)) {
                problem = "two threads get vCPU index " + vcpu + " from the pattern";
            }
            matched.put(name, vcpu);
        }
        return new DiscoverThreadPattern(regex, matched, problem);
    }

    private static List<String> runs(String name) {
        List<String> runs = new ArrayList<>();
        Matcher matcher = RUNS.matcher(name);
        while (matcher.find()) {
            runs.add(matcher.group());
        }
        return runs;
    }

    private static boolean isDigits(String run) {
        return !run.isEmpty() && Character.isDigit(run.charAt(0));
    }

    /** The non-digit runs, with {@code #} where a number stands. */
    private static String shape(List<String> runs) {
        StringBuilder shape = new StringBuilder();
        for (String run : runs) {
            shape.append(isDigits(run) ? "\u0000#" : run);
        }
        return shape.toString();
    }

    /** The digit run that differs between the threads (the last such), else the last digit run; -1 when none. */
    private static int indexRun(List<List<String>> group) {
        List<String> first = group.get(0);
        int lastDigits = -1;
        int lastVarying = -1;
        for (int i = 0; i < first.size(); i++) {
            if (!isDigits(first.get(i))) {
                continue;
            }
            lastDigits = i;
            for (List<String> other : group) {
                if (!other.get(i).equals(first.get(i))) {
                    lastVarying = i;
                    break;
                }
            }
        }
        return lastVarying >= 0 ? lastVarying : lastDigits;
    }

    private static String regex(List<List<String>> group, int index) {
        List<String> first = group.get(0);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < first.size(); i++) {
            String run = first.get(i);
            if (i == index) {
                regex.append("(\\d+)");
            } else if (isDigits(run) && varies(group, i)) {
                regex.append("\\d+");
            } else {
                regex.append(escape(run));
            }
        }
        return regex.toString();
    }

    private static boolean varies(List<List<String>> group, int i) {
        return group.stream().anyMatch(runs -> !runs.get(i).equals(group.get(0).get(i)));
    }

    /** Regex metacharacters escaped one by one (Pattern.quote's \Q..\E would be unreadable in a profile). */
    static String escape(String literal) {
        StringBuilder out = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
