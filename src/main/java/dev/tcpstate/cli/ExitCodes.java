package dev.tcpstate.cli;

/** The exit codes (README, "Exit codes"); they are public API. */
public final class ExitCodes {
    public static final int OK = 0;
    /** {@code check}: findings at or above {@code --fail-on}. */
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;
    public static final int BAD_INPUT = 3;
    public static final int CAPTURE_UNAVAILABLE = 4;
    public static final int INTERNAL_ERROR = 5;
    /** The output could not be written: standard output or {@code -o FILE} (a full disk, no such directory). */
    public static final int OUTPUT_ERROR = 6;

    private ExitCodes() {
    }
}
