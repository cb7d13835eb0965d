package io.dirtylimit.core;

import java.util.Locale;
import java.util.Set;

/**
 * Whether the limit guarantee (a per-vCPU pacing clock under the controller) is in effect.
 *
 * <p>With the guarantee on, from the moment a limit applies to a vCPU, the pages it dirties over any
 * window {@code W} stay within {@code quota * W} plus two throttle points' pages (one dirtied since
 * the last point, one of credit), whatever its speed or the controller's landing: the first period
 * after a limit is set is held, and so is a vCPU whose speed changes 100x between periods. The
 * controller still measures and tunes; a vCPU sleeps the longer of the controller's sleep and the
 * pacing clock's.
 */
public enum GuardMode {
    /** On for every policy except the baselines {@code qemu} and {@code v9}, which stay faithful to QEMU. */
    AUTO,
    /** On for every policy. */
    ON,
    /** Off for every policy: the controller alone, as in QEMU. */
    OFF;

    /** The policies {@link #AUTO} leaves unguarded. */
    static final Set<String> BASELINES = Set.of("qemu", "v9");

    /** Whether the guarantee is in effect for {@code policy} under this mode. */
    public boolean guards(String policy) {
        return this == ON || (this == AUTO && !BASELINES.contains(policy));
    }

    /** The lower-case name used by options and tools: {@code auto}, {@code on}, {@code off}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code auto}, {@code on} or {@code off} (any case). */
    public static GuardMode parse(String text) {
        for (GuardMode mode : values()) {
            if (mode.optionName().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("guard must be auto, on or off, got '" + text + "'");
    }
}
