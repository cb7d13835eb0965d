package io.dirtylimit.agent.tool;

/** A command of the tool failed: one sentence for the user and the exit code that goes with it. */
final class ToolFailure extends Exception {
    private final int exitCode;

    ToolFailure(int exitCode, String message) {
        super(io.dirtylimit.agent.OptionsException.oneLine(message), null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
