package io.dirtylimit.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Policies by name: the built-in ones plus any a builder added. */
final class Policies {
    private final Map<String, Supplier<? extends ThrottlePolicy<?>>> byName;

    private Policies(Map<String, Supplier<? extends ThrottlePolicy<?>>> byName) {
        this.byName = byName;
    }

    static Map<String, Supplier<? extends ThrottlePolicy<?>>> builtIn() {
        Map<String, Supplier<? extends ThrottlePolicy<?>>> map = new LinkedHashMap<>();
        map.put("model", ModelPolicy::new);
        map.put("pi", PiPolicy::new);
        map.put("linear", LinearPolicy::new);
        map.put("qemu", QemuPolicy::new);
        map.put("v9", V9Policy::new);
        return map;
    }

    static Set<String> builtInNames() {
        return Collections.unmodifiableSet(new TreeSet<>(builtIn().keySet()));
    }

    static Policies of(Map<String, Supplier<? extends ThrottlePolicy<?>>> byName) {
        return new Policies(new LinkedHashMap<>(byName));
    }

    Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }

    /** A new instance of the named policy. */
    ThrottlePolicy<?> create(String name) {
        return byName.get(checkKnown(name)).get();
    }

    String checkKnown(String name) {
        if (name == null || !byName.containsKey(name)) {
            throw new IllegalArgumentException(
                    "unknown policy '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return name;
    }
}
