package io.dirtylimit.agent.it;

/** Class-file comparisons for the tests (kept out of {@link ClassBytesProbe}, which is loaded into the emulator). */
final class ClassBytes {
    private ClassBytes() {}

    /**
     * The class re-serialised by ASM with a fresh constant pool: same members, same code, but only
     * the constants the code uses, in first-use order. Needed to compare a class restored by a
     * detach with the original: when HotSpot retransforms a class it merges the old version's
     * constant pool into the new one (so frames still running old code stay valid), and on recent
     * JDKs the class file it hands out afterwards carries those unused entries.
     */
    static byte[] canonical(byte[] classFile) {
        net.bytebuddy.jar.asm.ClassWriter writer = new net.bytebuddy.jar.asm.ClassWriter(0);
        new net.bytebuddy.jar.asm.ClassReader(classFile).accept(writer, 0);
        return writer.toByteArray();
    }
}
