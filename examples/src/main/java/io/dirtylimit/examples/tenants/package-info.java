/**
 * "Tenants": a third example emulator, standing for a runtime that serves many guests in one JVM
 * (a WebAssembly runtime's shape) and knows nothing about dirtylimit.
 *
 * <pre>
 * java -cp examples/target/toyvm.jar io.dirtylimit.examples.tenants.TenantVm
 *      [--guests N] [--threads M] [--rate MBPS|max] [--guest-mem SIZE] [--seconds S] [--queue due|fifo]
 * </pre>
 *
 * <ul>
 *   <li>{@link io.dirtylimit.examples.tenants.LinearMemory}: each guest's own memory object,
 *       mapped at guest address 0 (every guest uses the same addresses), {@code int} addresses read
 *       as unsigned. All stores go through {@code write(int address, byte[] data, int from, int to)}
 *       ({@code to} an exclusive end index into {@code data}; guests always pass {@code from = 0})
 *       and {@code fill(byte value, int from, int to)} (guest addresses, {@code to} exclusive).</li>
 *   <li>{@code Guest}: a program that writes its memory page by page, wrapping, seven pages in
 *       eight by four 1 KiB {@code write}s and every eighth by a page {@code fill}, paced at
 *       {@code --rate} (no catching up after a stall) or flat out.</li>
 *   <li>{@code WorkerPool}: M threads {@code tenant-worker-K} run guests in slices of at most 2 ms;
 *       after each slice a guest goes to the next worker's queue, so it changes thread every
 *       slice, and a thread's name says nothing about which guest it runs.</li>
 *   <li>{@code Harvester}: thread {@code tenant-stats}, the runtime's own ground truth: once a
 *       second, per guest, the 4 KiB pages first written since the previous harvest, counted once
 *       per guest memory; printed as CSV {@code t_s,guest,dirty_mbps} (header first; any other
 *       stdout line starts with {@code "# "}).</li>
 * </ul>
 *
 * <p>Hook points an agent profile may rely on (names and signatures are a contract):
 * {@code LinearMemory.write(int, byte[], int, int)}, {@code LinearMemory.fill(byte, int, int)}.
 */
package io.dirtylimit.examples.tenants;
