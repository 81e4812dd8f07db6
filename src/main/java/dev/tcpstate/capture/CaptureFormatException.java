package dev.tcpstate.capture;

import java.io.IOException;

/**
 * A broken capture container: the message names the source, the byte offset, what was read and
 * what was expected, in the form {@code "file: offset N: what: actual (expected: ...)"}.
 */
public final class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final long offset;

    public CaptureFormatException(String source, long offset, String what, String actual, String expected) {
        super(source + ": offset " + offset + ": " + what + ": " + actual + " (expected: " + expected + ")");
        this.source = source;
        this.offset = offset;
    }

    public String source() {
        return source;
    }

    public long offset() {
        return offset;
    }
}
