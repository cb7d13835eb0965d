package io.dirtylimit.examples.toyvm;

/** Placeholder until the toy emulator lands (issue 2). */
public final class ToyVm {
    private ToyVm() {}

    public static void main(String[] args) {
        System.out.println("toyvm: not built yet");
    }
}
