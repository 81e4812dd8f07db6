package dev.tcpstate.cli;

import dev.tcpstate.capture.CaptureFormatException;
import java.io.PrintWriter;
import java.util.List;

/**
 * Captures found corrupt part-way: the command has already printed what the frames before the
 * corruption (and the other captures) show; each corruption gets its line, and the exit code is 3.
 */
final class InputFailures {
    private InputFailures() {
    }

    /** Reports the input failures on {@code err}; the exit code is then 3, else {@code code}. */
    static int report(List<CaptureFormatException> failures, PrintWriter err, int code) {
        for (CaptureFormatException failure : failures) {
            err.println("tcpstate: " + failure.getMessage() + "; that capture is analysed up to there");
        }
        err.flush();
        return failures.isEmpty() ? code : ExitCodes.BAD_INPUT;
    }
}
