/**
 * dirtylimit's benchmarks and demonstrations, not part of the product: JMH benchmarks of the hot
 * paths, the toy VM overhead runner, the migration demo ({@link io.dirtylimit.bench.MigrationDemo})
 * and, in {@code evidence}, the command that measures the policies against QEMU's.
 */
package io.dirtylimit.bench;
