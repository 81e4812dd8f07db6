package dev.tcpstate.cli;

import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.capture.CaptureFormatException;
import java.io.PrintWriter;

/**
 * Captures found corrupt part-way: the command has already printed what the frames before the
 * corruption (and the other captures) show; each corruption gets its line, and the exit code is 3.
 */
final class InputFailures {
    private InputFailures() {
    }

    /** Reports the analyzer's input failures on {@code err}; the exit code is then 3, else {@code code}. */
    static int report(Analyzer analyzer, PrintWriter err, int code) {
        for (CaptureFormatException failure : analyzer.inputFailures()) {
            err.println("tcpstate: " + failure.getMessage() + "; that capture is analysed up to there");
        }
        err.flush();
        return analyzer.inputFailures().isEmpty() ? code : ExitCodes.BAD_INPUT;
    }
}
