package io.dirtylimit.agent.discover;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses what a discover probes among the classes loaded now: under the given packages, every
 * method with a body that takes an {@code int} or {@code long}; in the named classes, every method
 * with a body. Constructors, synthetic and bridge methods are left out; so are classes of the JDK's
 * own loaders, hidden classes, classes the JVM cannot retransform and classes whose loader does not
 * see the bootstrap probe. At most {@code max-methods},
 * in class and method name order: the rest is cut, and the report says so.
 */
final class CandidateMethods {
    final List<ProbedMethod> probed;
    final int candidates;
    final List<String> notes;

    private CandidateMethods(List<ProbedMethod> probed, int candidates, List<String> notes) {
        this.probed = probed;
        this.candidates = candidates;
        this.notes = notes;
    }

    static CandidateMethods select(Instrumentation inst, DiscoverOptions options) {
        List<String> notes = new ArrayList<>();
        List<Method> found = new ArrayList<>();
        Set<String> packagesSeen = new TreeSet<>();
        Set<String> classesSeen = new TreeSet<>();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        Map<ClassLoader, Boolean> probeVisibility = new IdentityHashMap<>();
        for (Class<?> type : inst.getAllLoadedClasses()) {
            String name = type.getName();
            boolean named = options.classes().contains(name);
            if (!named && !options.inPackages(name)) {
                continue;
            }
            if (type.isArray() || type.isPrimitive() || type.isHidden() || type.isSynthetic() || type.isAnnotation()) {
                continue;
            }
            ClassLoader loader = type.getClassLoader();
            if (loader == null || loader == platform) {
                notes.add("left out " + name + ": a class of the JDK's own class loaders");
                continue;
            }
            if (!inst.isModifiableClass(type)) {
                notes.add("left out " + name + ": the JVM cannot retransform it");
                continue;
            }
            if (!seesTheProbe(loader, probeVisibility)) {
                notes.add("left out " + name + ": its class loader " + loader + " does not see the bootstrap probe");
                continue;
            }
            (named ? classesSeen : packagesSeen).add(named ? name : packageOf(options, name));
            try {
                for (Method method : type.getDeclaredMethods()) {
                    if (isCandidate(method, named)) {
                        found.add(method);
                    }
                }
            } catch (LinkageError | SecurityException e) {
                notes.add("left out " + name + ": its methods cannot be listed (" + e + ")");
            }
        }
        for (String wanted : options.classes()) {
            if (!classesSeen.contains(wanted)) {
                notes.add("class " + wanted + " is not loaded (or not probeable): nothing probed in it");
            }
        }
        for (String prefix : options.packages()) {
            if (!packagesSeen.contains(prefix)) {
                notes.add("no loaded class under package " + prefix + " can be probed");
            }
        }
        found.sort(Comparator.comparing((Method m) -> m.getDeclaringClass().getName())
                .thenComparing(Method::getName)
                .thenComparing(m -> net.bytebuddy.jar.asm.Type.getMethodDescriptor(m)));
        List<ProbedMethod> probed = new ArrayList<>();
        for (Method method : found) {
            if (probed.size() == options.maxMethods()) {
                break;
            }
            probed.add(ProbedMethod.of(probed.size(), method));
        }
        if (found.size() > probed.size()) {
            notes.add("cut: " + found.size() + " candidate methods, probing the first " + probed.size() + " in class name order"
                    + " (max-methods " + options.maxMethods() + "); narrow with --package or --class, or raise --max-methods");
        }
        return new CandidateMethods(probed, found.size(), List.copyOf(new LinkedHashSet<>(notes)));
    }

    /**
     * Whether classes of {@code loader} resolve the probe to the bootstrap copy (a loader that does
     * not delegate to its parent for it would make every probed call fail, suppressed but costly).
     * Asks each loader once; its loadClass is the emulator's code, so anything it throws means no.
     */
    private static boolean seesTheProbe(ClassLoader loader, Map<ClassLoader, Boolean> known) {
        return known.computeIfAbsent(loader, l -> {
            try {
                Class<?> probe = Class.forName(ProbeInjector.PROBE_CLASSES.get(2), false, l);
                return probe.getClassLoader() == null;
            } catch (Throwable failure) {
                return false;
            }
        });
    }

    private static String packageOf(DiscoverOptions options, String className) {
        for (String prefix : options.packages()) {
            if (className.startsWith(prefix + ".")) {
                return prefix;
            }
        }
        return className;
    }

    private static boolean isCandidate(Method method, boolean everyMethod) {
        int modifiers = method.getModifiers();
        if (Modifier.isAbstract(modifiers) || Modifier.isNative(modifiers) || method.isSynthetic() || method.isBridge()) {
            return false;
        }
        if (everyMethod) {
            return true;
        }
        for (Class<?> type : method.getParameterTypes()) {
            if (ProbedMethod.isInteger(type)) {
                return true;
            }
        }
        return false;
    }
}
