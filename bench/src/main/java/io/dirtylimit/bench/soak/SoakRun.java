package io.dirtylimit.bench.soak;

import io.dirtylimit.agent.control.DirtyLimitMXBean;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One soak run (see {@link io.dirtylimit.bench.Soak}): a toy VM with mixed workloads, several
 * clients driving a seeded random schedule of every control operation through the tool and the
 * MXBean, a migration every minute, vCPUs unplugged and plugged back, checks as it goes and at the
 * end, and the summary line.
 *
 * <p>Operations that attach or detach hold the lifecycle lock exclusively, so every other
 * operation knows whether the agent is in and has one documented outcome. Operations that change
 * the operator's limits hold the limits lock with the {@link LimitModel}, and so do the checks of
 * the limits in force, so "what was last set" is well defined while other clients run.
 */
public final class SoakRun {
    private static final String VCPU = "io.dirtylimit.examples.toyvm.Vcpu";
    private static final List<String> HOOKED_CLASSES = List.of(VCPU, "io.dirtylimit.examples.toyvm.Migration",
            "io.dirtylimit.examples.toyvm.GuestMemory");
    /** Paced workloads (compute never sleeps: one vCPU in 32 runs it, one in 32 dirties flat out). */
    private static final List<String> WORKLOADS = List.of("seq", "random", "bursty", "copy", "warmup");
    private static final List<String> POLICIES = List.of("model", "pi", "linear", "qemu", "v9");
    private static final List<String> MODES = List.of("off", "auto", "fit", "qemu", "auto-converge");
    /** The built-in profiles' max-vcpus: a vCPU index from here on is refused. */
    private static final int MAX_VCPUS = 1024;
    private static final long MXBEAN_TIMEOUT_SECONDS = 60;
    /** A migration that converges whatever the dirty rate: its downtime budget (bandwidth x downtime) exceeds the RAM. */
    private static final String MIGRATE = "migrate bandwidth=400 downtime=400 max-passes=60 max-seconds=60";
    private static final String RAM = "128M";
    private static final Pattern JSON_ROW = Pattern.compile("\\{\"cpu-index\": (\\d+), \"limit-rate\": (\\d+), \"current-rate\": (-?\\d+),"
            + " \"enabled\": (true|false), \"sleep-ns-per-throttle-point\": (\\d+), \"throttle-points\": (\\d+), \"set-by\": \"(\\w*)\","
            + " \"pending\": (true|false)\\}");
    /** Heap growth from the first minute to the last beyond this fails the run. */
    public static final double HEAP_GROWTH_LIMIT_PERCENT = 10;

    private final SoakOptions options;
    private final Path toyVmJar;
    private final Path agentJar;
    private final PrintStream log;
    private final Tally tally;
    private final Tool tool;
    private final Path scratch;

    private ToyVmChild vm;
    private Jmx jmx;
    private DirtyLimitMXBean mx;
    private final ExecutorService mxCalls = Executors.newCachedThreadPool(daemon("soak-mxbean"));

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock(true);
    private final ReentrantLock limitsLock = new ReentrantLock(true);
    private final LimitModel model = new LimitModel();
    /** Guarded by limitsLock: the policy and guard in force (for whether limits are paced), the profile installed. */
    private String policy = "model";
    private String guard = "auto";
    private String profile = "toyvm";
    /** When something changed every vCPU's pace: policy, guard, profile, attach, a migration. */
    private volatile long disturbedNanos = System.nanoTime();
    /** Written by the conductor, read by the settled-rate check: when each vCPU was plugged back, which are out. */
    private final Map<Integer, Long> pluggedNanos = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<Integer> unplugged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean migrating;
    private volatile long endNanos;

    /**
     * A run.
     *
     * @param options the options
     * @param toyVmJar the toy VM's jar
     * @param agentJar the agent's jar
     * @param log where progress and failures go
     * @throws IOException when the scratch directory cannot be made
     */
    public SoakRun(SoakOptions options, Path toyVmJar, Path agentJar, PrintStream log) throws IOException {
        this.options = options;
        this.toyVmJar = toyVmJar;
        this.agentJar = agentJar;
        this.log = log;
        this.tally = new Tally(log);
        this.tool = new Tool(options.java(), agentJar);
        this.scratch = Files.createTempDirectory("dirtylimit-soak-");
    }

    /** What the run found; {@link #passed} when every figure is as it must be. */
    public record Result(double minutes, long operations, int failed, int migrations, int identical, int escaped,
                         int leakedThreads, double heapGrowthPercent, List<String> failures) {
        /** @return the one summary line */
        public String summary() {
            return String.format(Locale.ROOT, "soak: %s min, %d operations, %d failed, migrations %d/%d identical, escaped %d,"
                            + " leaked threads %d, heap growth %.1f %%", io.dirtylimit.core.Rates.format(minutes), operations, failed,
                    identical, migrations, escaped, leakedThreads, heapGrowthPercent);
        }

        /** @return whether nothing failed */
        public boolean passed() {
            return failed == 0 && identical == migrations && migrations > 0 && escaped == 0 && leakedThreads == 0
                    && heapGrowthPercent <= HEAP_GROWTH_LIMIT_PERCENT;
        }
    }

    /**
     * Runs the soak.
     *
     * @return what it found
     * @throws Exception when the toy VM cannot be started or reached at all
     */
    public Result run() throws Exception {
        vm = ToyVmChild.start(options.java(), List.of("-Xmx768m", "-XX:+EnableDynamicAgentLoading"), toyVmJar, vmArgs());
        try {
            awaitFirstSeconds();
            Map<String, byte[]> original = classBytes("original");
            attachFirst();
            jmx = Jmx.connect(vm.pid());
            if (!jmx.awaitMxBean(120_000)) {
                throw new IllegalStateException("the agent's MXBean was not registered within 120 s");
            }
            mx = jmx.mxBean();
            long start = System.nanoTime();
            endNanos = start + (long) (options.minutes() * 60e9);
            List<Thread> clients = startClients();
            Heap heap = conduct(start);
            for (Thread client : clients) {
                client.join(TimeUnit.SECONDS.toMillis(Tool.TIMEOUT_SECONDS * 3));
            }
            return finish(original, heap);
        } finally {
            mxCalls.shutdownNow();
            if (jmx != null) {
                jmx.close();
            }
            vm.close();
        }
    }

    private List<String> vmArgs() {
        List<String> workloads = new ArrayList<>();
        List<String> rates = new ArrayList<>();
        for (int i = 0; i < options.vcpus(); i++) {
            workloads.add(i + ":" + (i % 32 == 16 ? "compute" : WORKLOADS.get(i % WORKLOADS.size())));
            rates.add(i + ":" + (i % 32 == 0 ? "max" : Integer.toString(10 + (i * 7) % 90)));
        }
        return List.of("--vcpus", Integer.toString(options.vcpus()), "--mem", RAM, "--ring", "1024", "--stats", "csv",
                "--workload", String.join(",", workloads), "--dirty-rate", String.join(",", rates), "--seed", Long.toString(options.seed()));
    }

    private void awaitFirstSeconds() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (vm.samples().size() < options.vcpus() * 2L) {
            if (!vm.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the toy VM did not report two seconds of statistics: " + tail(vm.err()));
            }
            Thread.sleep(100);
        }
        tally.info("toy VM " + vm.pid() + " runs " + options.vcpus() + " vCPUs, " + RAM + " RAM");
    }

    private void attachFirst() throws Exception {
        Tool.Result attach = tool.run("attach", pid(), "profile=toyvm");
        if (attach.exit() != 0) {
            throw new IllegalStateException("the first attach failed: " + attach);
        }
        tally.ok("tool attach");
        tally.info("agent attached");
    }

    // ---- clients

    private List<Thread> startClients() {
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            Random random = new Random(options.seed() * 1_000 + c);
            Thread thread = new Thread(() -> clientLoop(random), "soak-client-" + c);
            thread.setDaemon(true);
            thread.start();
            clients.add(thread);
        }
        return clients;
    }

    private void clientLoop(Random random) {
        while (System.nanoTime() < endNanos) {
            Operation op = pick(random);
            while (System.nanoTime() < quietUntilNanos && NOT_IN_QUIET.contains(op.name())) {
                op = pick(random);
            }
            try {
                op.run(random);
            } catch (InterruptedException e) {
                return;
            } catch (Exception | AssertionError e) {
                tally.failed(op.name(), e.toString());
            }
            sleep(50 + random.nextInt(250));
        }
    }

    /** One kind of operation of the schedule, with its weight. */
    private record Operation(String name, int weight, Step step) {
        void run(Random random) throws Exception {
            step.run(random);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(Random random) throws Exception;
    }

    private final List<Operation> operations = schedule();

    /**
     * Operations the clients leave out during a quiet window: those that disturb every vCPU's pace
     * (policy, guard, new options or profile, detach) or change every vCPU's limit at once. Without
     * such windows a limit seldom stands 10 s undisturbed, and the settled-rate check against the toy
     * VM's own CSV had nothing to check.
     */
    private static final Set<String> NOT_IN_QUIET = Set.of("mxbean policy", "mxbean guard", "tool attach options",
            "detach and attach", "tool set all", "tool cancel all", "mxbean set all", "mxbean cancel all");
    /** Seconds into each minute when a quiet window starts (after the minute's migration), and its length. */
    private static final long QUIET_AT_SECONDS = 30;
    private static final long QUIET_SECONDS = 20;
    /**
     * How long the check at a quiet window's end waits for the limits lock, which the clients hold
     * through a tool command each (seconds on a loaded machine; 5 s was often not enough).
     */
    private static final long QUIET_LOCK_SECONDS = 30;
    /** Written by the conductor, read by the clients. */
    private volatile long quietUntilNanos;

    /** Every kind of operation, with its weight in the schedule. */
    private List<Operation> schedule() {
        return List.of(
            new Operation("tool set", 6, this::toolSetOne),
            new Operation("tool set all", 2, this::toolSetAll),
            new Operation("tool cancel", 3, this::toolCancelOne),
            new Operation("tool cancel all", 1, r -> limits(() -> expectTool(0, "cancel", pid()), () -> model.cancelAll())),
            new Operation("tool query --json", 3, r -> checkLimitsByTool()),
            new Operation("tool query", 1, r -> active(() -> expectTool(0, "query", pid()))),
            new Operation("tool calc", 1, r -> active(() -> {
                if (r.nextBoolean()) {
                    expectTool(0, "calc", pid(), "--seconds", "0.2", "--json");
                } else {
                    expectTool(0, "calc", pid(), "--seconds", "0.2");
                }
            })),
            new Operation("tool status", 2, r -> active(() -> expectTool(0, "status", pid()))),
            new Operation("tool migration mode", 1, r -> active(() -> expectTool(0, "migration", pid(), MODES.get(r.nextInt(MODES.size()))))),
            new Operation("tool attach options", 2, this::toolAttachOptions),
            new Operation("tool bad command", 1, this::toolBadCommand),
            new Operation("detach and attach", 1, this::detachAndAttach),
            new Operation("mxbean set", 6, this::mxSetOne),
            new Operation("mxbean set all", 2, r -> {
                double rate = 5 + r.nextInt(300);
                limits(() -> mx(() -> mx.limitAllVcpus(rate)), () -> model.setAll(rate));
            }),
            new Operation("mxbean cancel", 3, r -> {
                int cpu = r.nextInt(options.vcpus() + 4);
                limits(() -> mx(() -> mx.cancelVcpuDirtyLimit(cpu)), () -> model.cancel(cpu));
            }),
            new Operation("mxbean cancel all", 1, r -> limits(() -> mx(mx::cancelAllVcpuDirtyLimit), () -> model.cancelAll())),
            new Operation("mxbean query", 3, r -> checkLimitsByMxBean()),
            new Operation("mxbean calc", 1, r -> active(() -> mx(() -> mx.calcDirtyRate(0.2)))),
            new Operation("mxbean policy", 2, r -> {
                String next = POLICIES.get(r.nextInt(POLICIES.size()));
                limits(() -> mx(() -> mx.setPolicy(next)), () -> {
                    policy = next;
                    disturbedNanos = System.nanoTime();
                });
            }),
            new Operation("mxbean period", 1, r -> active(() -> mx(() -> mx.setPeriod(List.of("200ms", "500ms", "1s", "2s").get(r.nextInt(4)))))),
            new Operation("mxbean guard", 1, r -> {
                String next = List.of("auto", "on", "off").get(r.nextInt(3));
                limits(() -> mx(() -> mx.setGuard(next)), () -> {
                    guard = next;
                    disturbedNanos = System.nanoTime();
                });
            }),
            new Operation("mxbean migration mode", 1, r -> active(() -> mx(() -> mx.setMigrationMode(MODES.get(r.nextInt(MODES.size())))))),
            new Operation("mxbean attributes", 2, r -> active(() -> mx(() -> {
                mx.getLimits();
                mx.getVcpus();
                mx.getHooksMatched();
                mx.getSuppressedErrors();
                mx.getMigrationState();
                if (!mx.isActive()) {
                    throw new AssertionError("Active is false while the agent is attached");
                }
            }))),
            new Operation("mxbean bad value", 1, this::mxBadValue));
    }

    private Operation pick(Random random) {
        int total = operations.stream().mapToInt(Operation::weight).sum();
        int at = random.nextInt(total);
        for (Operation op : operations) {
            at -= op.weight();
            if (at < 0) {
                return op;
            }
        }
        throw new IllegalStateException();
    }

    // ---- the operations

    private int cpu(Random r) {
        int roll = r.nextInt(20);
        return roll == 0 ? options.vcpus() + r.nextInt(8) : r.nextInt(options.vcpus()); // sometimes one not seen yet (pending)
    }

    private void toolSetOne(Random r) throws Exception {
        int cpu = cpu(r);
        double rate = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(300);
        limits(() -> expectTool(0, "set", pid(), "--cpu", Integer.toString(cpu), rate(rate)), () -> model.set(cpu, rate));
    }

    private void toolSetAll(Random r) throws Exception {
        double rate = 5 + r.nextInt(300);
        limits(() -> expectTool(0, "set", pid(), rate(rate)), () -> model.setAll(rate));
    }

    private void toolCancelOne(Random r) throws Exception {
        int cpu = cpu(r);
        limits(() -> expectTool(0, "cancel", pid(), "--cpu", Integer.toString(cpu)), () -> model.cancel(cpu));
    }

    private void toolAttachOptions(Random r) throws Exception {
        String period = List.of("200ms", "500ms", "1s", "1.5s").get(r.nextInt(4));
        String nextPolicy = POLICIES.get(r.nextInt(POLICIES.size()));
        String nextGuard = List.of("auto", "on", "off").get(r.nextInt(3));
        boolean withLimit = r.nextInt(3) == 0;
        double all = withLimit && r.nextBoolean() ? 20 + r.nextInt(200) : 0;
        Map<Integer, Double> perCpu = new TreeMap<>();
        if (withLimit) {
            for (int n = 1 + r.nextInt(3); n > 0; n--) {
                perCpu.put(r.nextInt(options.vcpus()), 1.0 + r.nextInt(200));
            }
        }
        StringBuilder options = new StringBuilder("period=" + period + ",policy=" + nextPolicy + ",guard=" + nextGuard);
        if (withLimit) {
            List<String> entries = new ArrayList<>();
            if (all > 0) {
                entries.add(rate(all));
            }
            perCpu.forEach((cpu, rate) -> entries.add(cpu + ":" + rate(rate)));
            options.append(",limit=").append(String.join(";", entries));
        }
        limits(() -> {
            Tool.Result result = expectTool(0, "attach", pid(), options.toString());
            if (!result.out().contains("applying the new options")) {
                throw new AssertionError("attach to the active agent did not apply the options: " + result);
            }
        }, () -> {
            policy = nextPolicy;
            guard = nextGuard;
            disturbedNanos = System.nanoTime();
            if (withLimit) {
                model.replace(all, perCpu);
            }
        });
    }

    private void toolBadCommand(Random r) throws Exception {
        switch (r.nextInt(6)) {
            case 0 -> active(() -> expectTool(2, "set", pid(), "fast"));
            case 1 -> active(() -> expectTool(1, "set", pid(), "--cpu", Integer.toString(MAX_VCPUS + r.nextInt(100)), "10"));
            case 2 -> active(() -> expectTool(2, "query", pid(), "--watch", "0"));
            case 3 -> active(() -> expectTool(2, "attach", pid(), "limit=x"));
            case 4 -> active(() -> expectTool(2, "migration", pid(), "fast"));
            default -> expectTool(2, "frobnicate", pid());
        }
    }

    /** Detach, check that the agent answers as detached, attach again (sometimes with the other profile, a limit). */
    private void detachAndAttach(Random r) throws Exception {
        lifecycle.writeLock().lockInterruptibly();
        limitsLock.lockInterruptibly();
        try {
            Tool.Result detach = expectTool(0, "detach", pid());
            if (!detach.out().contains("original bytecode restored")) {
                throw new AssertionError("detach restored no class: " + detach);
            }
            model.replace(0, Map.of());
            disturbedNanos = System.nanoTime();
            expectTool(8, "set", pid(), "10");
            try {
                mxCall(mx::getLimits);
                throw new AssertionError("the MXBean answered while the agent is detached");
            } catch (IllegalStateException expected) {
                // documented: every call but Active and Version fails while detached
            }
            String next = r.nextInt(4) == 0 ? (profile.equals("toyvm") ? "toyvm-store" : "toyvm") : profile;
            double all = r.nextBoolean() ? 10 + r.nextInt(200) : 0;
            Tool.Result attach = expectTool(0, "attach", pid(), "profile=" + next + (all > 0 ? ",limit=" + rate(all) : ""));
            if (!attach.out().contains("installed (by attach)")) {
                throw new AssertionError("attach installed nothing: " + attach);
            }
            profile = next;
            policy = "model";
            guard = "auto";
            model.replace(all, Map.of());
            disturbedNanos = System.nanoTime();
            tally.ok("detach and attach");
        } finally {
            limitsLock.unlock();
            lifecycle.writeLock().unlock();
        }
    }

    private void mxSetOne(Random r) throws Exception {
        int cpu = cpu(r);
        double rate = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(300);
        limits(() -> mx(() -> mx.setVcpuDirtyLimit(cpu, rate)), () -> model.set(cpu, rate));
    }

    private void mxBadValue(Random r) throws Exception {
        active(() -> {
            String what;
            try {
                switch (r.nextInt(5)) {
                    case 0 -> {
                        what = "setVcpuDirtyLimit(0, -5)";
                        mxCall(() -> {
                            mx.setVcpuDirtyLimit(0, -5);
                            return null;
                        });
                    }
                    case 1 -> {
                        what = "setVcpuDirtyLimit(" + MAX_VCPUS + ", 10)";
                        mxCall(() -> {
                            mx.setVcpuDirtyLimit(MAX_VCPUS, 10);
                            return null;
                        });
                    }
                    case 2 -> {
                        what = "setPeriod(1h)";
                        mxCall(() -> {
                            mx.setPeriod("1h");
                            return null;
                        });
                    }
                    case 3 -> {
                        what = "setPolicy(fast)";
                        mxCall(() -> {
                            mx.setPolicy("fast");
                            return null;
                        });
                    }
                    default -> {
                        what = "limitAllVcpus(NaN)";
                        mxCall(() -> {
                            mx.limitAllVcpus(Double.NaN);
                            return null;
                        });
                    }
                }
            } catch (IllegalArgumentException refused) {
                tally.ok("mxbean bad value");
                return;
            }
            throw new AssertionError(what + " was taken");
        });
    }

    // ---- checks of the limits in force

    private void checkLimitsByTool() throws Exception {
        active(() -> {
            limitsLock.lockInterruptibly();
            try {
                Tool.Result query = expectTool(0, "query", pid(), "--json", "--all");
                Map<Integer, double[]> rows = new HashMap<>();
                Matcher m = JSON_ROW.matcher(query.out());
                while (m.find()) {
                    boolean operator = m.group(7).equals("operator");
                    rows.put(Integer.parseInt(m.group(1)), new double[] {Boolean.parseBoolean(m.group(4)) && operator
                            ? Double.parseDouble(m.group(2)) : 0});
                }
                if (!query.out().startsWith("{\"return\": [")) {
                    throw new AssertionError("query --json printed no QMP answer: " + query);
                }
                compare("query --json", cpu -> rows.containsKey(cpu) ? rows.get(cpu)[0] : 0, rows.keySet());
            } finally {
                limitsLock.unlock();
            }
        });
    }

    private void checkLimitsByMxBean() throws Exception {
        active(() -> {
            limitsLock.lockInterruptibly();
            try {
                List<DirtyLimitMXBean.VcpuDirtyLimit> rows = mxCall(mx::queryVcpuDirtyLimit);
                Map<Integer, Double> operator = new HashMap<>();
                for (DirtyLimitMXBean.VcpuDirtyLimit row : rows) {
                    operator.put(row.getCpuIndex(), row.isEnabled() && row.getSetBy().equals("operator") ? row.getLimitRate() : 0);
                }
                compare("queryVcpuDirtyLimit", cpu -> operator.getOrDefault(cpu, 0.0), operator.keySet());
                tally.ok("mxbean query");
            } finally {
                limitsLock.unlock();
            }
        });
    }

    /** The operator limit of every vCPU (and of every one the model or the answer names) is the model's. */
    private void compare(String what, java.util.function.IntToDoubleFunction actual, Set<Integer> answered) {
        Set<Integer> cpus = new TreeSet<>(answered);
        cpus.addAll(model.named());
        for (int cpu = 0; cpu < options.vcpus(); cpu++) {
            cpus.add(cpu);
        }
        List<String> wrong = new ArrayList<>();
        for (int cpu : cpus) {
            double expected = model.expected(cpu);
            if (!answered.contains(cpu) && !model.named().contains(cpu)) {
                // Not seen yet (a compute vCPU never reaches a hook): a rate for every vCPU waits for it unlisted.
                continue;
            }
            double got = actual.applyAsDouble(cpu);
            if (Math.abs(expected - got) > 0.5) {
                wrong.add("vCPU " + cpu + ": " + rate(got) + " instead of " + rate(expected));
            }
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError(what + " disagrees with what was last set (" + model + "): " + wrong);
        }
    }

    /**
     * Rates the toy VM measured itself, for every vCPU whose limit has stood for 10 s while nothing
     * disturbed the pace: the mean of the last 7 s is at most the limit with room for two throttle
     * points' pages (the guarantee) and a loaded machine's late harvests. Returns what it checked, or
     * why it checked nothing.
     */
    private String checkSettledRates(long lockSeconds) throws InterruptedException {
        if (!lifecycle.readLock().tryLock(lockSeconds, TimeUnit.SECONDS)) {
            return "not checked: the agent was being detached and attached";
        }
        try {
            if (!limitsLock.tryLock(lockSeconds, TimeUnit.SECONDS)) {
                return "not checked: the limits lock stayed busy"; // migrations and unplugs keep their time
            }
            try {
                long now = System.nanoTime();
                long settled = now - TimeUnit.SECONDS.toNanos(10);
                boolean paced = guard.equals("on") || (guard.equals("auto") && !policy.equals("qemu") && !policy.equals("v9"));
                if (!paced || migrating || disturbedNanos > settled) {
                    return "not checked: the pace was " + (paced ? "disturbed within 10 s" : "not under the guarantee");
                }
                int checked = 0;
                List<String> over = new ArrayList<>();
                for (int cpu = 0; cpu < options.vcpus(); cpu++) {
                    double limit = model.expected(cpu);
                    if (limit <= 0 || model.changedNanos(cpu) > settled || pluggedNanos.getOrDefault(cpu, Long.MIN_VALUE) > settled
                            || unplugged.contains(cpu)) {
                        continue;
                    }
                    final int vcpu = cpu;
                    double[] rates = vm.samples().stream()
                            .filter(s -> s.vcpu() == vcpu && s.arrivalNanos() > now - TimeUnit.SECONDS.toNanos(7))
                            .mapToDouble(ToyVmChild.Sample::mbps).toArray();
                    if (rates.length < 4) {
                        continue;
                    }
                    double mean = Arrays.stream(rates).average().orElse(0);
                    double bound = 1.25 * limit + 2 * 4.0 / 6 + 3;
                    checked++;
                    if (mean > bound) {
                        over.add(String.format(Locale.ROOT, "vCPU %d %.1f MB/s over %d s, limit %s (bound %.1f)", cpu, mean, rates.length,
                                rate(limit), bound));
                    }
                }
                if (!over.isEmpty()) {
                    tally.failed("settled rates", "the toy VM's own rates exceed the limits in force: " + over);
                    return "over the limit: " + over;
                }
                if (checked == 0) {
                    return "not checked: no limit had stood 10 s";
                }
                tally.ok("settled rates");
                return "the toy VM's own rates of " + checked + " vCPU(s) within their limits";
            } finally {
                limitsLock.unlock();
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    // ---- the conductor: migrations, unplugs, settled rates, heap

    /** The heap after full GC at the end of the first minute (or half-way through a shorter run) and at the end. */
    private record Heap(long first, long last) {}

    private Heap conduct(long start) throws Exception {
        long minute = TimeUnit.SECONDS.toNanos(60);
        long nextMigration = start + TimeUnit.SECONDS.toNanos(15);
        long nextUnplug = start + TimeUnit.SECONDS.toNanos(25);
        long nextSettle = start + TimeUnit.SECONDS.toNanos(20);
        long nextQuiet = start + TimeUnit.SECONDS.toNanos(QUIET_AT_SECONDS);
        long quietCheck = Long.MAX_VALUE;
        long heapAt = start + Math.min(minute, (endNanos - start) / 2);
        long firstHeap = -1;
        Random random = new Random(options.seed());
        while (System.nanoTime() < endNanos) {
            long now = System.nanoTime();
            if (now >= nextMigration && endNanos - now > TimeUnit.SECONDS.toNanos(10)) {
                migrate();
                nextMigration += minute;
            }
            if (now >= nextQuiet && endNanos - now > TimeUnit.SECONDS.toNanos(QUIET_SECONDS)) {
                beginQuiet();
                nextQuiet += minute;
                quietCheck = quietUntilNanos - TimeUnit.SECONDS.toNanos(1);
                nextUnplug = Math.max(nextUnplug, quietUntilNanos);
            }
            if (now >= quietCheck) {
                quietCheck = Long.MAX_VALUE;
                quietUntilNanos = Long.MAX_VALUE; // stays quiet while the check waits for its locks
                try {
                    String outcome = checkSettledRates(QUIET_LOCK_SECONDS);
                    tally.info("quiet window: " + outcome);
                } finally {
                    quietUntilNanos = System.nanoTime();
                }
            }
            if (now >= nextUnplug && now >= quietUntilNanos) {
                unplugAndPlug(random);
                nextUnplug = System.nanoTime() + TimeUnit.SECONDS.toNanos(20 + random.nextInt(20));
            }
            if (now >= nextSettle) {
                checkSettledRates(5);
                nextSettle = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            }
            if (firstHeap < 0 && now >= heapAt) {
                firstHeap = heapNow();
                tally.info(String.format(Locale.ROOT, "heap after full GC: %.1f MiB; %d operations so far, %d failed",
                        firstHeap / 1048576.0, tally.operations(), tally.failures()));
            }
            if (!vm.isAlive()) {
                throw new IllegalStateException("the toy VM died: " + tail(vm.err()));
            }
            Thread.sleep(200);
        }
        return new Heap(firstHeap, -1);
    }

    /**
     * A quiet window: the clients leave out what disturbs every vCPU's pace, and the pace is made
     * one the check applies to (the guarantee on) if it is not; the settled-rate check runs at its end.
     */
    private void beginQuiet() throws Exception {
        quietUntilNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(QUIET_SECONDS);
        boolean paced = guard.equals("on") || (guard.equals("auto") && !policy.equals("qemu") && !policy.equals("v9"));
        if (!paced) {
            try {
                limits(() -> mx(() -> mx.setGuard("on")), () -> {
                    guard = "on";
                    disturbedNanos = System.nanoTime();
                });
            } catch (IllegalStateException detached) {
                // detached meanwhile: the window checks nothing this time
            } catch (Exception | AssertionError e) {
                tally.failed("quiet window guard", e.toString());
            }
        }
    }

    private void migrate() throws Exception {
        int from = vm.out().size();
        migrating = true;
        disturbedNanos = System.nanoTime();
        try {
            vm.send(MIGRATE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                for (String line : vm.outSince(from)) {
                    if (line.contains("\"converged\"")) {
                        boolean identical = line.contains("\"identical\":true");
                        tally.migration(identical);
                        if (identical) {
                            tally.ok("migration");
                        } else {
                            tally.failed("migration", "destination RAM not verified identical: " + line);
                        }
                        tally.info("migration " + tally.migrations() + ": " + line);
                        return;
                    }
                    if (line.startsWith("# error:")) {
                        tally.migration(false);
                        tally.failed("migration", "refused: " + line);
                        return;
                    }
                }
                Thread.sleep(200);
            }
            tally.migration(false);
            tally.failed("migration", "no result within 120 s");
        } finally {
            migrating = false;
            disturbedNanos = System.nanoTime();
        }
    }

    private void unplugAndPlug(Random random) throws Exception {
        int cpu = 1 + random.nextInt(options.vcpus() - 1);
        monitor("unplug " + cpu, "vCPU " + cpu + " unplugged");
        unplugged.add(cpu);
        sleep(3_000 + random.nextInt(5_000));
        monitor("plug " + cpu, "vCPU " + cpu + " plugged in");
        pluggedNanos.put(cpu, System.nanoTime());
        unplugged.remove(cpu);
    }

    private void monitor(String command, String reply) throws Exception {
        int from = vm.out().size();
        vm.send(command);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String line : vm.outSince(from)) {
                if (line.equals("# " + reply)) {
                    tally.ok("monitor " + command.split(" ")[0]);
                    return;
                }
                if (line.startsWith("# error:")) {
                    tally.failed("monitor " + command, line);
                    return;
                }
            }
            Thread.sleep(100);
        }
        tally.failed("monitor " + command, "no reply within 30 s");
    }

    private long heapNow() throws Exception {
        return mxTimed(jmx::heapAfterFullGc);
    }

    // ---- the end

    private Result finish(Map<String, byte[]> original, Heap heap) throws Exception {
        while (migrating) {
            Thread.sleep(200);
        }
        lifecycle.writeLock().lock();
        try {
            try {
                checkLimitsByTool();
            } catch (AssertionError e) {
                tally.failed("tool query --json", e.getMessage());
            }
            long lastHeap = heapNow();
            double growth = heap.first() > 0 ? 100.0 * (lastHeap - heap.first()) / heap.first() : 0;
            tally.info(String.format(Locale.ROOT, "heap after full GC: %.1f MiB (first %.1f MiB)", lastHeap / 1048576.0,
                    heap.first() / 1048576.0));
            if (growth > HEAP_GROWTH_LIMIT_PERCENT) {
                tally.checkFailed(String.format(Locale.ROOT, "heap grew %.1f %% from the first minute to the last", growth));
            }
            try {
                Tool.Result status = expectTool(0, "status", pid());
                tally.info("last status: " + status.out().lines().filter(l -> l.startsWith("suppressed") || l.startsWith("limits"))
                        .toList());
            } catch (AssertionError e) {
                tally.failed("tool status", e.getMessage());
            }
            Tool.Result detach = tool.run("detach", pid());
            if (detach.exit() != 0 || !detach.out().contains("original bytecode restored")) {
                tally.failed("tool detach", "the last detach did not restore the classes: " + detach);
            } else {
                tally.ok("tool detach");
            }
            int leaked = leakedThreads();
            compareClasses(original);
            int escaped = escaped();
            tally.info("operations by kind: " + tally.byKind());
            return new Result(options.minutes(), tally.operations(), tally.failures(), tally.migrations(), tally.identical(),
                    escaped, leaked, growth, tally.failureList());
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** Agent threads still alive 10 s after the last detach. */
    private int leakedThreads() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> ours;
        do {
            ours = mxTimed(() -> jmx.threads("dirtylimit"));
            if (ours.isEmpty()) {
                return 0;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        tally.checkFailed("agent threads left after the last detach: " + ours);
        return ours.size();
    }

    /** Exceptions that reached the emulator: a thread of the toy VM that died of one, a vCPU not running at the end. */
    private int escaped() throws Exception {
        int escaped = 0;
        for (String line : vm.err()) {
            if (line.startsWith("Exception in thread") || line.contains("guest fault")) {
                tally.checkFailed("escaped into the toy VM: " + line);
                escaped++;
            }
        }
        int from = vm.out().size();
        vm.send("info vcpus");
        Thread.sleep(1_000);
        List<String> vcpus = vm.outSince(from).stream().filter(line -> line.contains("CPU #")).toList();
        long running = vcpus.stream().filter(line -> line.contains("state=running")).count();
        if (running < options.vcpus()) {
            tally.checkFailed("only " + running + " of " + options.vcpus() + " vCPUs run at the end: "
                    + vcpus.stream().filter(line -> !line.contains("state=running")).toList());
            escaped += (int) (options.vcpus() - running);
        }
        return escaped;
    }

    private Map<String, byte[]> classBytes(String label) throws Exception {
        Path dir = Files.createDirectories(scratch.resolve(label));
        Path probe = scratch.resolve("probe.jar");
        if (!Files.exists(probe)) {
            ClassProbe.writeJar(probe); // once: the toy VM keeps it open after the first load
        }
        com.sun.tools.attach.VirtualMachine target = com.sun.tools.attach.VirtualMachine.attach(pid());
        try {
            target.loadAgent(probe.toString(), dir + ";" + String.join(";", HOOKED_CLASSES));
        } finally {
            target.detach();
        }
        if (Files.exists(dir.resolve("failure.txt"))) {
            throw new IllegalStateException("the class probe failed in the toy VM: " + Files.readString(dir.resolve("failure.txt")));
        }
        Map<String, byte[]> bytes = new TreeMap<>();
        for (String name : HOOKED_CLASSES) {
            Path file = dir.resolve(name + ".class");
            if (Files.isRegularFile(file)) {
                bytes.put(name, canonical(Files.readAllBytes(file)));
            }
        }
        return bytes;
    }

    private void compareClasses(Map<String, byte[]> original) throws Exception {
        Map<String, byte[]> now = classBytes("after");
        if (!original.containsKey(VCPU)) {
            tally.checkFailed("the probe read no original bytes of " + VCPU);
        }
        for (Map.Entry<String, byte[]> entry : original.entrySet()) {
            if (!Arrays.equals(entry.getValue(), now.get(entry.getKey()))) {
                tally.checkFailed("class " + entry.getKey() + " does not carry its original bytes after the last detach");
            }
        }
        tally.info("classes with their original bytes after the last detach: " + original.keySet());
    }

    /**
     * The class re-serialised with a fresh constant pool: same members and code. After a
     * retransformation HotSpot hands out class files that still carry the replaced version's
     * unused constants; this compares what matters.
     */
    static byte[] canonical(byte[] classFile) {
        org.objectweb.asm.ClassWriter writer = new org.objectweb.asm.ClassWriter(0);
        new org.objectweb.asm.ClassReader(classFile).accept(writer, 0);
        return writer.toByteArray();
    }

    // ---- helpers

    /** Runs {@code body} while the agent is attached (no detach meanwhile). */
    private void active(Body body) throws Exception {
        lifecycle.readLock().lockInterruptibly();
        try {
            body.run();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Runs {@code body} holding the limits lock while the agent is attached, then updates the model as it succeeded. */
    private void limits(Body body, Runnable onSuccess) throws Exception {
        active(() -> {
            limitsLock.lockInterruptibly();
            try {
                body.run();
                onSuccess.run();
            } finally {
                limitsLock.unlock();
            }
        });
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface MxVoid {
        void run();
    }

    /** A void MXBean call that must be taken, counted. */
    private void mx(MxVoid call) throws Exception {
        mxCall(() -> {
            call.run();
            return null;
        });
        tally.ok("mxbean");
    }

    /** An MXBean call within its timeout; its IllegalArgumentException or IllegalStateException goes to the caller. */
    private <T> T mxCall(Callable<T> call) throws Exception {
        return mxTimed(call);
    }

    private <T> T mxTimed(Callable<T> call) throws Exception {
        Future<T> future = mxCalls.submit(call);
        try {
            return future.get(MXBEAN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError("no answer within " + MXBEAN_TIMEOUT_SECONDS + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Runs the tool and checks its exit code; returns the result. */
    private Tool.Result expectTool(int exit, String... args) throws Exception {
        Tool.Result result = tool.run(args);
        String kind = "tool " + args[0];
        if (exit == 0 && result.answeredThenHeldByKernel()) {
            // the agent answered; the kernel, not our code, kept the tool's JVM from ending (state D)
            tally.info(kind + " answered, then the kernel held its JVM past " + Tool.TIMEOUT_SECONDS
                    + " s (not counted as failed): " + result);
            tally.ok(kind);
            return result;
        }
        if (result.exit() != exit) {
            throw new AssertionError("expected exit " + exit + ": " + result);
        }
        if (exit != 0 && (result.err().isBlank() || result.err().contains("\tat "))) {
            throw new AssertionError("expected one error line, no stack trace: " + result);
        }
        tally.ok(kind);
        return result;
    }

    private String pid() {
        return Long.toString(vm.pid());
    }

    private static String rate(double mbps) {
        return io.dirtylimit.core.Rates.format(mbps);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(List<String> lines) {
        List<String> copy = List.copyOf(lines);
        return String.join(" | ", copy.subList(Math.max(0, copy.size() - 10), copy.size()));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
