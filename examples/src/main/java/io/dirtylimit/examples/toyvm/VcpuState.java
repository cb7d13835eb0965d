package io.dirtylimit.examples.toyvm;

import java.util.Locale;

/** What a vCPU thread is doing, as {@code info vcpus} shows it. */
enum VcpuState {
    CREATED, RUNNING, HALTED, FAULTED, PAUSED, UNPLUGGED;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
