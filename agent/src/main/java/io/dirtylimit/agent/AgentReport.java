package io.dirtylimit.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one start, attach or detach did, as lines for the command-line tool (written to the
 * {@code report=} file, last line {@code result: ok} or {@code result: error}) and for the log.
 */
public final class AgentReport {
    /** The report's last line when everything went well. */
    public static final String RESULT_OK = "result: ok";
    /** The report's last line after an error. */
    public static final String RESULT_ERROR = "result: error";

    private final List<String> lines = new ArrayList<>();
    private boolean failed;

    void line(String text) {
        lines.add(text);
        Log.info(text);
    }

    void warning(String text) {
        lines.add("warning: " + text);
        Log.warn(text);
    }

    void error(String text) {
        recordError(text);
        Log.error(text);
    }

    /** An error already told to the user some other way: recorded for the report, not logged again. */
    void recordError(String text) {
        failed = true;
        lines.add("error: " + text);
    }

    /** Writes the report for the command-line tool; a failure to write is only logged. */
    void writeTo(Path file) {
        if (file == null) {
            return;
        }
        List<String> all = new ArrayList<>(lines);
        all.add(failed ? RESULT_ERROR : RESULT_OK);
        try {
            Files.write(file, all, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            Log.error("cannot write the report to " + file + ": " + e);
        }
    }
}
