/** JMH benchmarks of dirtylimit's hot paths. */
package io.dirtylimit.bench;
