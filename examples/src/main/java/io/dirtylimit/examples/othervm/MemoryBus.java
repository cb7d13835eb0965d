package io.dirtylimit.examples.othervm;

/** Where a CPU's stores and loads go; implementations route them to RAM or devices. */
public interface MemoryBus {
    /** Writes {@code length} bytes of {@code data} from {@code offset} at guest physical address {@code guestAddress}. */
    void write(long guestAddress, byte[] data, int offset, int length);

    /** Reads {@code length} bytes at {@code guestAddress} into {@code into} from {@code offset}. */
    void read(long guestAddress, byte[] into, int offset, int length);
}
