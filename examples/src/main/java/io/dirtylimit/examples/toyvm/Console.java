package io.dirtylimit.examples.toyvm;

import java.io.PrintStream;

/**
 * Where the VM writes. stdout carries the statistics and the monitor's replies (including
 * migration's JSON result); with {@code --stats csv} every non-CSV line on stdout starts with
 * {@code "# "} so that CSV readers can skip it as a comment. stderr carries the banner,
 * progress and errors that are not monitor replies.
 */
final class Console {
    static final String COMMENT = "# ";

    private final PrintStream out;
    private final PrintStream err;
    private final boolean csv;

    Console(PrintStream out, PrintStream err, boolean csv) {
        this.out = out;
        this.err = err;
        this.csv = csv;
    }

    /** A statistics line, as is. */
    synchronized void stats(String line) {
        out.println(line);
        out.flush();
    }

    /** A monitor reply or event on stdout (a comment line in CSV mode). */
    synchronized void reply(String line) {
        for (String l : line.split("\n", -1)) {
            out.println(csv ? COMMENT + l : l);
        }
        out.flush();
    }

    /** Progress and diagnostics on stderr. */
    void info(String line) {
        err.println(line);
        err.flush();
    }

    /** An error that is not a monitor reply, on stderr. */
    void error(String line) {
        err.println(line);
        err.flush();
    }
}
