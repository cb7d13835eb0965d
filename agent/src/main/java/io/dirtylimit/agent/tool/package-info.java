/**
 * The command-line tool, {@code java -jar dirtylimit-agent.jar COMMAND}: attach and detach through
 * the Attach API, and the control commands ({@code list}, {@code set}, {@code cancel}, {@code query},
 * {@code calc}, {@code status}, {@code migration}) through the agent's MXBean over the target JVM's
 * local management agent. It runs in its own JVM and needs {@code jdk.attach}: nothing on the
 * emulator's side refers to this package (ToolIsolationTest checks the compiled classes).
 *
 * <p>Internal, no compatibility promised: the command line and its exit codes are the interface
 * (docs/cli.md), not these classes.
 */
package io.dirtylimit.agent.tool;
