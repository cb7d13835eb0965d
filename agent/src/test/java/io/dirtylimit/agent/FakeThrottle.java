package io.dirtylimit.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A throttle that counts what the dispatcher tells it and writes down limit changes. */
final class FakeThrottle implements Throttle {
    final Map<Integer, Port> ports = new ConcurrentHashMap<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    static final class Port implements VcpuPort {
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

    long pages(int cpu) {
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
        if (!ports.containsKey(cpu)) {
            throw new IllegalArgumentException("vCPU " + cpu + " is not registered");
        }
        events.add("limit " + cpu + " " + mbps);
    }

    @Override
    public void setAllLimit(double mbps) {
        events.add("limit all " + mbps);
    }

    @Override
    public void cancelAll() {
        events.add("cancel all");
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
    public String describe() {
        return "fake";
    }

    @Override
    public void close() {
        closed = true;
    }
}
