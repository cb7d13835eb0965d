package io.dirtylimit.examples.othervm;

/**
 * The CPUs' bus: RAM from address 0, a doorbell device at {@link #DOORBELL}. A second
 * {@link MemoryBus} implementation between the CPUs and RAM, as real emulators layer them.
 */
final class SystemBus implements MemoryBus {
    static final long DOORBELL = 0xF000_0000L;

    private final RamBus ram;
    private final Doorbell doorbell = new Doorbell();

    SystemBus(RamBus ram) {
        this.ram = ram;
    }

    @Override
    public void write(long guestAddress, byte[] data, int offset, int length) {
        if (guestAddress >= DOORBELL) {
            doorbell.ring(data[offset]);
        } else {
            ram.write(guestAddress, data, offset, length);
        }
    }

    @Override
    public void read(long guestAddress, byte[] into, int offset, int length) {
        if (guestAddress >= DOORBELL) {
            into[offset] = (byte) doorbell.rings();
        } else {
            ram.read(guestAddress, into, offset, length);
        }
    }

    long doorbellRings() {
        return doorbell.rings();
    }

    /** A device: counts the writes it gets. */
    private static final class Doorbell {
        private final java.util.concurrent.atomic.AtomicLong rings = new java.util.concurrent.atomic.AtomicLong();

        void ring(byte value) {
            rings.incrementAndGet();
        }

        long rings() {
            return rings.get();
        }
    }
}
