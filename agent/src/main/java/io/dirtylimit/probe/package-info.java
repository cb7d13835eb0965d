/**
 * The bootstrap probe of {@code discover}: the only classes its temporary counting probes call.
 *
 * <p>Like the bridge, these classes are defined in the bootstrap class loader so that advice inlined
 * into classes of any class loader resolves them; they stay for the JVM's life, idle between
 * discovers. Keep this package tiny and free of dependencies outside {@code java.base}.
 */
package io.dirtylimit.probe;
