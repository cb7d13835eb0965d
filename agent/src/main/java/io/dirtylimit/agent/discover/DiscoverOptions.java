package io.dirtylimit.agent.discover;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one {@code discover} probes and for how long, as the tool sends it to the emulator:
 * {@code discover,seconds=3,package=a.b;c.d,class=a.b.C,max-methods=256} (lists separated by
 * {@code ;}), plus {@code report=FILE,result=FILE} when it comes through the Attach API. The tool
 * parses the same text before it attaches, so bad values are refused before anything is loaded.
 */
public final class DiscoverOptions {
    /** The first key of every discover option string. */
    public static final String KEYWORD = "discover";
    /** Seconds probed when not given. */
    public static final double DEFAULT_SECONDS = 3;
    /** Methods probed at most when not given. */
    public static final int DEFAULT_MAX_METHODS = 256;
    /** The most methods one discover may probe. */
    public static final int MAX_METHODS_LIMIT = 4096;
    static final double MIN_SECONDS = 0.5;
    static final double MAX_SECONDS = 600;

    private double seconds = DEFAULT_SECONDS;
    private int maxMethods = DEFAULT_MAX_METHODS;
    private final List<String> packages = new ArrayList<>();
    private final List<String> classes = new ArrayList<>();
    private Path report;
    private Path result;

    private DiscoverOptions() {}

    /**
     * Whether an agent argument string asks for a discover.
     *
     * @param arguments the agent's arguments, possibly null
     * @return true when its first key is {@value #KEYWORD}
     */
    public static boolean isDiscover(String arguments) {
        if (arguments == null) {
            return false;
        }
        String first = arguments.split(",", 2)[0].trim();
        return first.equals(KEYWORD);
    }

    /**
     * Parses {@code discover,key=value,...}.
     *
     * @param text the option string
     * @return the options
     * @throws IllegalArgumentException saying what is wrong, in one line
     */
    public static DiscoverOptions parse(String text) {
        if (!isDiscover(text)) {
            throw new IllegalArgumentException("discover options must start with '" + KEYWORD + "': " + text);
        }
        DiscoverOptions options = new DiscoverOptions();
        Set<String> seen = new HashSet<>();
        String[] pairs = text.split(",", -1);
        for (int i = 1; i < pairs.length; i++) {
            String pair = pairs[i].trim();
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("discover option '" + pair + "' is not key=value");
            }
            String key = pair.substring(0, eq).trim();
            if (!seen.add(key)) {
                throw new IllegalArgumentException("discover option '" + key + "' given twice");
            }
            options.set(key, pair.substring(eq + 1).trim());
        }
        if (options.packages.isEmpty() && options.classes.isEmpty()) {
            throw new IllegalArgumentException("discover needs at least one package or class to probe");
        }
        return options;
    }

    private void set(String key, String value) {
        switch (key) {
            case "seconds" -> seconds = parseSeconds(value);
            case "max-methods" -> maxMethods = parseMaxMethods(value);
            case "package" -> packages.addAll(names(key, value, true));
            case "class" -> classes.addAll(names(key, value, false));
            case "report" -> report = Path.of(value);
            case "result" -> result = Path.of(value);
            default -> throw new IllegalArgumentException("unknown discover option '" + key
                    + "' (known: seconds, max-methods, package, class)");
        }
    }

    static double parseSeconds(String value) {
        try {
            double s = Double.parseDouble(value);
            if (s >= MIN_SECONDS && s <= MAX_SECONDS) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("seconds '" + value + "' must be a number from " + fmt(MIN_SECONDS) + " to " + fmt(MAX_SECONDS));
    }

    static int parseMaxMethods(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_METHODS_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("max-methods '" + value + "' must be a whole number from 1 to " + MAX_METHODS_LIMIT);
    }

    private static List<String> names(String key, String value, boolean isPackage) {
        List<String> names = new ArrayList<>();
        for (String raw : value.split(";")) {
            String name = raw.trim();
            if (isPackage && name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (!name.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
                throw new IllegalArgumentException(key + " '" + raw.trim() + "' is not a Java " + (isPackage ? "package" : "binary class")
                        + " name" + (isPackage ? "" : " (like com.example.Bus or com.example.Outer$Inner)"));
            }
            if (name.startsWith("io.dirtylimit.agent") || name.startsWith("io.dirtylimit.bridge") || name.startsWith("io.dirtylimit.probe")
                    || name.startsWith("io.dirtylimit.core") || name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")) {
                throw new IllegalArgumentException(key + " '" + name + "' is the JDK's or dirtylimit's own: discover probes the emulator's classes");
            }
            names.add(name);
        }
        return names;
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }

    /**
     * The option string for the emulator, without report and result files.
     *
     * @return {@code discover,seconds=...}
     */
    public String format() {
        StringBuilder text = new StringBuilder(KEYWORD).append(",seconds=").append(fmt(seconds)).append(",max-methods=").append(maxMethods);
        if (!packages.isEmpty()) {
            text.append(",package=").append(String.join(";", packages));
        }
        if (!classes.isEmpty()) {
            text.append(",class=").append(String.join(";", classes));
        }
        return text.toString();
    }

    /** @return seconds to count for */
    public double seconds() {
        return seconds;
    }

    /** @return the most methods to probe */
    public int maxMethods() {
        return maxMethods;
    }

    /** @return package prefixes whose classes' integer-taking methods are probed */
    public List<String> packages() {
        return List.copyOf(packages);
    }

    /** @return classes all of whose methods are probed */
    public List<String> classes() {
        return List.copyOf(classes);
    }

    /** @return the file for the start report (Attach API only), or null */
    public Path report() {
        return report;
    }

    /** @return the file for the result (Attach API only), or null */
    public Path result() {
        return result;
    }

    /** Whether {@code className} is under one of the packages. */
    boolean inPackages(String className) {
        for (String prefix : packages) {
            if (className.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }
}
