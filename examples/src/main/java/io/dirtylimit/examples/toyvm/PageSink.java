package io.dirtylimit.examples.toyvm;

/** Receives harvested page numbers; an interface rather than a lambda so harvests allocate nothing. */
interface PageSink {
    void acceptPage(long page);
}
