/**
 * The evidence command ({@link io.dirtylimit.bench.evidence.Evidence}): every policy on the same
 * scenarios in the simulator and on the toy VM with the agent, controller cost at scale, hook
 * overhead from the bench module's tools; CSV, markdown tables, PNG charts and RESULTS.md under docs/.
 */
package io.dirtylimit.bench.evidence;
