package io.dirtylimit.examples.toyvm;

/**
 * One vCPU over one reaper period: its dirty rate (pages harvested from it x 4 KiB, in MiB/s),
 * its ring-full exits and its guest instructions per second.
 */
record VcpuSample(int vcpu, double dirtyMbps, long ringFullExits, long instructionsPerSecond) {}
