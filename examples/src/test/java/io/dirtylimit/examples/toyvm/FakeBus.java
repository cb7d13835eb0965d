package io.dirtylimit.examples.toyvm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A guest bus on a map: records stores, has a settable clock, and can report ring-full. */
final class FakeBus implements GuestBus {
    final Map<Long, Long> memory = new HashMap<>();
    final List<Long> storeAddresses = new ArrayList<>();
    /** Clock time of each store, in order. */
    final List<Long> storeTimes = new ArrayList<>();
    long clockNanos;
    /** The store with this (1-based) number reports a full ring; 0 = never. */
    int ringFullAtStore;

    @Override
    public long load(long address) {
        return memory.getOrDefault(address, 0L);
    }

    @Override
    public boolean store(long address, long value) {
        memory.put(address, value);
        storeAddresses.add(address);
        storeTimes.add(clockNanos);
        return storeAddresses.size() == ringFullAtStore;
    }

    @Override
    public long clockNanos() {
        return clockNanos;
    }

    long storesBetween(long fromNanos, long toNanos) {
        return storeTimes.stream().filter(t -> t >= fromNanos && t < toNanos).count();
    }
}
