package io.dirtylimit.examples.othervm;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One CPU: an interpreter thread named {@code cpu#N worker}, paced to a target store rate. Its
 * stores go through the {@link MemoryBus}; the CPU itself keeps no dirty state.
 */
final class Cpu implements Runnable {
    private static final ThreadLocal<Cpu> CURRENT = new ThreadLocal<>();
    private static final int BLOCK_INSTRUCTIONS = 64;
    /** The pacer forgives at most this much lag: a CPU slowed down from outside does not burst afterwards. */
    private static final long MAX_LAG_NANOS = 50_000_000L;

    private final int number;
    private final MemoryBus bus;
    private final int[] program;
    private final double storesPerSecond;
    private final long[] registers = new long[8];
    private final byte[] scratch;
    private int pc;

    /** Written by this CPU's thread only; read by the stats printer. */
    private final AtomicLong storesOrdered = new AtomicLong();
    private final AtomicLong pagesDirtiedOrdered = new AtomicLong();
    private volatile boolean stopRequested;

    Cpu(int number, MemoryBus bus, int[] program, double storesPerSecond, int block) {
        this.number = number;
        this.bus = bus;
        this.program = program;
        this.storesPerSecond = storesPerSecond;
        this.scratch = new byte[Math.max(block, 8)];
    }

    int number() {
        return number;
    }

    Thread start() {
        Thread thread = new Thread(this, "cpu#" + number + " worker");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    void stop() {
        stopRequested = true;
    }

    long stores() {
        return storesOrdered.get();
    }

    long pagesDirtied() {
        return pagesDirtiedOrdered.get();
    }

    /** Charges a newly dirtied RAM page to the CPU running on the calling thread, if any. */
    static void chargeNewlyDirtiedPage() {
        Cpu cpu = CURRENT.get();
        if (cpu != null) {
            cpu.pagesDirtiedOrdered.lazySet(cpu.pagesDirtiedOrdered.get() + 1);
        }
    }

    @Override
    public void run() {
        CURRENT.set(this);
        long start = System.nanoTime();
        long storesAtStart = 0;
        while (!stopRequested) {
            for (int i = 0; i < BLOCK_INSTRUCTIONS; i++) {
                step();
            }
            if (Double.isFinite(storesPerSecond)) {
                long now = System.nanoTime();
                long done = storesOrdered.get() - storesAtStart;
                long dueNanos = (long) (done / storesPerSecond * 1e9);
                long ahead = dueNanos - (now - start);
                if (ahead > 0) {
                    LockSupport.parkNanos(ahead);
                } else if (-ahead > MAX_LAG_NANOS) {
                    start = now;
                    storesAtStart = storesOrdered.get();
                }
            }
        }
    }

    private void step() {
        int op = program[pc];
        int a = program[pc + 1];
        int b = program[pc + 2];
        pc += 3;
        switch (op) {
            case Program.LI -> registers[a] = b;
            case Program.MOV -> registers[a] = registers[b];
            case Program.ADD -> registers[a] += registers[b];
            case Program.ADDI -> registers[a] += b;
            case Program.ANDI -> registers[a] &= b;
            case Program.MIX -> registers[a] = registers[a] * 6364136223846793005L + 1442695040888963407L;
            case Program.ST -> store(registers[a], b);
            case Program.OUT -> {
                scratch[0] = (byte) number;
                bus.write(SystemBus.DOORBELL + b, scratch, 0, 1);
            }
            case Program.JMP -> pc = a * 3;
            default -> throw new IllegalStateException("cpu#" + number + ": bad opcode " + op + " at " + (pc - 3));
        }
    }

    private void store(long address, int length) {
        long value = registers[5];
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (value >>> (8 * i));
        }
        bus.write(address, scratch, 0, length);
        storesOrdered.lazySet(storesOrdered.get() + 1);
    }
}
