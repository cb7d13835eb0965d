package io.dirtylimit.agent.runtime;

import io.dirtylimit.core.DirtyLimitInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A throttle that counts what the dispatcher tells it and writes down limit changes and the limits in force. */
public final class FakeThrottle implements Throttle {
    public final Map<Integer, Port> ports = new ConcurrentHashMap<>();
    public final List<String> events = new CopyOnWriteArrayList<>();
    /** The limits in force, as the core would hold them. */
    public final Map<Integer, Double> limits = new ConcurrentSkipListMap<>();
    /** Called before each setLimit (a test may block there). */
    public volatile Runnable beforeSetLimit = () -> { };
    volatile boolean closed;

    public static final class Port implements VcpuPort {
        final AtomicLong pages = new AtomicLong();
        final AtomicLong ringFulls = new AtomicLong();

        @Override
        public void pagesDirtied(int count) {
            pages.addAndGet(count);
        }

        @Override
        public void ringFull() {
            ringFulls.incrementAndGet();
        }
    }

    public long pages(int cpu) {
        return ports.containsKey(cpu) ? ports.get(cpu).pages.get() : -1;
    }

    long ringFulls(int cpu) {
        return ports.containsKey(cpu) ? ports.get(cpu).ringFulls.get() : -1;
    }

    @Override
    public VcpuPort register(int cpu) {
        events.add("register " + cpu);
        return ports.computeIfAbsent(cpu, c -> new Port());
    }

    @Override
    public void setLimit(int cpu, double mbps) {
        beforeSetLimit.run();
        if (!ports.containsKey(cpu)) {
            throw new IllegalArgumentException("vCPU " + cpu + " is not registered");
        }
        events.add("limit " + cpu + " " + mbps);
        if (mbps == 0) {
            limits.remove(cpu);
        } else {
            limits.put(cpu, mbps);
        }
    }

    @Override
    public long pagesDirtied(int cpu) {
        return pages(cpu);
    }

    @Override
    public List<DirtyLimitInfo> query() {
        return ports.keySet().stream().sorted().map(cpu -> new DirtyLimitInfo(cpu, limits.containsKey(cpu),
                limits.getOrDefault(cpu, 0.0), 0, 0, 0, 0, 0)).toList();
    }

    @Override
    public void setPeriod(Duration period) {
        events.add("period " + period);
    }

    @Override
    public Duration period() {
        return Duration.ofSeconds(1);
    }

    @Override
    public void setPolicy(String policy) {
        events.add("policy " + policy);
    }

    @Override
    public void setQuantum(int pages) {
        events.add("quantum " + pages);
    }

    @Override
    public void setGuard(io.dirtylimit.core.GuardMode mode) {
        events.add("guard " + mode.optionName());
    }

    @Override
    public String describe() {
        return "fake";
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Registers vCPUs in {@code directory} as a hook call would (the directory's hot-path entry is package-private). */
    public static void see(VcpuDirectory directory, int... cpus) {
        for (int cpu : cpus) {
            directory.getOrRegister(cpu);
        }
    }
}
