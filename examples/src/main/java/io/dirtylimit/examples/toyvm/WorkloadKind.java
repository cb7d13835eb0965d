package io.dirtylimit.examples.toyvm;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The guest programs a vCPU can run (see {@link GuestPrograms}). */
enum WorkloadKind {
    /** One 8-byte store per 4 KiB page, sequentially over its region, wrapping. */
    SEQ(1),
    /** One store per page, to random pages of a working set ({@code --wss}). */
    RANDOM(1),
    /** Like seq, alternating one second at the rate and one second at a tenth of it. */
    BURSTY(1),
    /** Arithmetic only: dirties nothing; its instruction rate is a CPU benchmark. */
    COMPUTE(0),
    /** memcpy-like: loads from the first half of its region, stores to the second half. */
    COPY(2),
    /**
     * Like seq, but starts slow as a JIT warming up: for its first {@link GuestPrograms#WARMUP_NANOS}
     * at 1/{@link GuestPrograms#WARMUP_SLOWDOWN} of its rate (flat out: busy the other 49/50 of the
     * time), then at full speed.
     */
    WARMUP(1),
    /**
     * Writes each page of its region once, in order, at its rate or flat out, reports how long
     * that took through an I/O port (the vCPU prints it), then computes without storing.
     */
    ONCE(1);

    private final int minPages;

    WorkloadKind(int minPages) {
        this.minPages = minPages;
    }

    boolean dirtiesMemory() {
        return minPages > 0;
    }

    /** The smallest region, in pages, this workload can run in. */
    int minPages() {
        return minPages;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static WorkloadKind parse(String name) {
        for (WorkloadKind kind : values()) {
            if (kind.label().equals(name)) {
                return kind;
            }
        }
        return null;
    }

    static String choices() {
        return Arrays.stream(values()).map(WorkloadKind::label).collect(Collectors.joining(", "));
    }
}
