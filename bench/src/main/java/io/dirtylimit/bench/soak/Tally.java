package io.dirtylimit.bench.soak;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** The soak's counts: operations run by kind, failures (each told at once, kept for the end), migrations. */
final class Tally {
    private final PrintStream log;
    private final long startNanos = System.nanoTime();
    private final AtomicLong operations = new AtomicLong();
    private final Map<String, Long> byKind = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int migrations;
    private int identical;

    Tally(PrintStream log) {
        this.log = log;
    }

    /** One operation of kind {@code kind} done as documented. */
    synchronized void ok(String kind) {
        operations.incrementAndGet();
        byKind.merge(kind, 1L, Long::sum);
    }

    /** One operation, or check, that did not do what is documented. */
    synchronized void failed(String kind, String what) {
        operations.incrementAndGet();
        byKind.merge(kind, 1L, Long::sum);
        failures.add(kind + ": " + what);
        log.printf("soak: %6.1f s FAILED %s: %s%n", seconds(), kind, what);
    }

    /** A check that is no operation failed (class bytes, threads, heap). */
    synchronized void checkFailed(String what) {
        failures.add(what);
        log.printf("soak: %6.1f s FAILED %s%n", seconds(), what);
    }

    synchronized void migration(boolean wasIdentical) {
        migrations++;
        identical += wasIdentical ? 1 : 0;
    }

    synchronized long operations() {
        return operations.get();
    }

    synchronized int failures() {
        return failures.size();
    }

    synchronized List<String> failureList() {
        return List.copyOf(failures);
    }

    synchronized int migrations() {
        return migrations;
    }

    synchronized int identical() {
        return identical;
    }

    synchronized Map<String, Long> byKind() {
        return new TreeMap<>(byKind);
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    void info(String text) {
        log.printf("soak: %6.1f s %s%n", seconds(), text);
    }
}
