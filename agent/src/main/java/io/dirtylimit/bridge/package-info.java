/**
 * The bootstrap bridge: the only classes that instrumented emulator code calls.
 *
 * <p>The agent appends these classes to the bootstrap class loader, so advice inlined into classes
 * of any class loader can reach them. They cannot be unloaded: a second attach reuses them, and
 * detaching only swaps the handler back to the no-op one. Keep this package tiny and free of
 * dependencies outside {@code java.base}.
 */
package io.dirtylimit.bridge;
