package io.dirtylimit.agent.discover;

import io.dirtylimit.probe.Probe;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One discover in the emulator: inject the probe, choose the methods, install the probes, count
 * for the window while tuning the sampling every {@link #TUNE_MILLIS} ms, then swap the sink out,
 * read the counts and remove every probe (original bytes restored). Loaded only once the probe
 * classes are on the bootstrap class loader (see {@link Discovery}).
 */
final class DiscoverSession {
    static final long TUNE_MILLIS = 100;
    /** The first tuning comes sooner: until then every call is sampled. */
    static final long FIRST_TUNE_MILLIS = 20;

    private final DiscoverOptions options;
    private final Instrumentation inst;
    private CandidateMethods candidates;
    private ProbeInstaller installer;
    private ProbeRecorder recorder;
    private long startNanos;

    DiscoverSession(DiscoverOptions options, Instrumentation inst) {
        this.options = options;
        this.inst = inst;
    }

    /**
     * Installs the probes; on failure nothing stays installed.
     *
     * @return lines saying what is probed
     * @throws IOException when the probe cannot be put on the bootstrap class loader
     * @throws IllegalStateException when there is nothing to probe
     */
    List<String> start() throws IOException {
        String probe = ProbeInjector.ensureInBootstrap(inst);
        candidates = CandidateMethods.select(inst, options);
        if (candidates.probed.isEmpty()) {
            throw new IllegalStateException("nothing to probe: no loaded class under " + options.packages() + " has a method taking"
                    + " an int or a long" + (options.classes().isEmpty() ? "" : ", and the classes " + options.classes()
                    + " have no method with a body") + (candidates.notes.isEmpty() ? "" : " (" + String.join("; ", candidates.notes) + ")"));
        }
        byte[] ints = new byte[candidates.probed.size()];
        for (ProbedMethod method : candidates.probed) {
            ints[method.id] = (byte) method.intArgs.length;
        }
        recorder = new ProbeRecorder(ints);
        installer = new ProbeInstaller(candidates.probed);
        try {
            installer.install(inst);
        } catch (RuntimeException | Error e) {
            installer.reset(inst);
            throw e;
        }
        Probe.install(recorder);
        startNanos = System.nanoTime();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "discover: probing %d method(s) for %s s (probe %s)", installer.probed().size(),
                trim(options.seconds()), probe));
        candidates.notes.forEach(note -> lines.add("note: " + note));
        installer.errors().forEach(error -> lines.add("warning: " + error));
        return lines;
    }

    /**
     * Counts until the window ends (tuning the sampling), then removes every probe. Never throws:
     * whatever happens, the probes are removed.
     *
     * @return what was measured
     */
    DiscoverData finish() {
        long windowNanos = Math.round(options.seconds() * 1e9);
        double elapsed;
        List<String> restored;
        List<String> notes = new ArrayList<>(candidates.notes);
        try {
            countAndTune(windowNanos);
        } catch (InterruptedException e) {
            notes.add("interrupted: the window was cut short");
            Thread.currentThread().interrupt();
        } finally {
            Probe.install(null);
            elapsed = (System.nanoTime() - startNanos) / 1e9;
        }
        DiscoverData data;
        List<String> failures = new ArrayList<>();
        try {
            data = read(elapsed, notes);
        } catch (RuntimeException | Error e) {
            failures.add("reading the counts failed: " + e);
            data = new DiscoverData(ProcessHandle.current().pid(), System.getProperty("java.version"), elapsed,
                    candidates.candidates, candidates.probed.size(), List.copyOf(notes), List.of(), List.of(), List.of(), List.of());
        } finally {
            restored = resetSafely(failures);
        }
        List<String> errors = new ArrayList<>(installer.errors());
        errors.addAll(failures);
        return new DiscoverData(data.pid(), data.javaVersion(), data.seconds(), data.candidates(), data.probed(), data.notes(), errors,
                List.copyOf(restored), data.methods(), data.threads());
    }

    private List<String> resetSafely(List<String> failures) {
        try {
            return installer.reset(inst);
        } catch (RuntimeException | Error e) {
            failures.add("removing the probes failed: " + e);
            return List.of();
        }
    }

    private void countAndTune(long windowNanos) throws InterruptedException {
        long last = startNanos;
        long next = startNanos + TimeUnit.MILLISECONDS.toNanos(FIRST_TUNE_MILLIS);
        long end = startNanos + windowNanos;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                return;
            }
            long wait = Math.min(next, end) - now;
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
                continue;
            }
            recorder.tune(Math.max(1e-3, (now - last) / 1e9));
            last = now;
            next = now + TimeUnit.MILLISECONDS.toNanos(TUNE_MILLIS);
        }
    }

    private DiscoverData read(double elapsed, List<String> notes) {
        List<DiscoverData.MethodStats> methods = new ArrayList<>();
        for (ProbedMethod method : candidates.probed) {
            long calls = recorder.calls(method.id);
            if (calls > 0) {
                methods.add(stats(method, calls));
            }
        }
        int silent = candidates.probed.size() - methods.size();
        if (silent > 0) {
            notes.add(silent + " of the " + candidates.probed.size() + " probed methods were not called in the window");
        }
        return new DiscoverData(ProcessHandle.current().pid(), System.getProperty("java.version"), elapsed,
                candidates.candidates, candidates.probed.size(), List.copyOf(notes), List.of(), List.of(), methods, threads());
    }

    private DiscoverData.MethodStats stats(ProbedMethod method, long calls) {
        int m = method.id;
        long sampled = recorder.sampled(m);
        List<DiscoverData.ParamStats> params = new ArrayList<>();
        List<DiscoverData.PairStats> pairs = new ArrayList<>();
        if (sampled > 0) {
            for (int k = 0; k < method.intArgs.length; k++) {
                params.add(new DiscoverData.ParamStats(method.intArgs[k], method.intTypes[k], recorder.pages(m, k),
                        recorder.min(m, k), recorder.max(m, k), recorder.lowBits(m, k)));
            }
            for (int p = 0; p < ProbeRecorder.PAIRS; p++) {
                if (ProbeRecorder.PAIR_SECOND[p] < method.intArgs.length) {
                    pairs.add(new DiscoverData.PairStats(method.intArgs[ProbeRecorder.PAIR_FIRST[p]],
                            method.intArgs[ProbeRecorder.PAIR_SECOND[p]], recorder.pairMin(m, p), recorder.pairMax(m, p)));
                }
            }
        }
        List<DiscoverData.ReceiverRange> ranges = new ArrayList<>();
        for (int r = 0; r < ProbeRecorder.RECEIVER_SLOTS; r++) {
            for (int k = 0; k < method.intArgs.length; k++) {
                long min = recorder.receiverMin(m, r, k);
                long max = recorder.receiverMax(m, r, k);
                if (min <= max) {
                    ranges.add(new DiscoverData.ReceiverRange(r, method.intArgs[k], min, max));
                }
            }
        }
        boolean sawArray = recorder.arrayMax(m) >= 0;
        return new DiscoverData.MethodStats(m, method.className(), method.name, method.parameterTypes, method.isStatic,
                method.returnType, calls, sampled, recorder.sampledOneIn(m), recorder.receivers(m), method.arrayArg,
                sawArray ? recorder.arrayMin(m) : -1, sawArray ? recorder.arrayMax(m) : -1, params, pairs, ranges);
    }

    private List<DiscoverData.ThreadStats> threads() {
        List<DiscoverData.ThreadStats> threads = new ArrayList<>();
        for (int slot = 0; slot <= ProbeRecorder.OVERFLOW; slot++) {
            long id = recorder.threadId(slot);
            if (slot < ProbeRecorder.OVERFLOW && id == 0) {
                continue;
            }
            long total = 0;
            List<long[]> byMethod = new ArrayList<>();
            for (int m = 0; m < recorder.methods(); m++) {
                long calls = recorder.calls(slot, m);
                if (calls > 0) {
                    byMethod.add(new long[] {m, calls});
                    total += calls;
                }
            }
            if (total == 0) {
                continue;
            }
            Thread thread = recorder.thread(slot);
            String name = slot == ProbeRecorder.OVERFLOW ? "" : thread == null ? "thread " + id : thread.getName();
            threads.add(new DiscoverData.ThreadStats(id, name, total, List.copyOf(byMethod)));
        }
        return threads;
    }

    static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
