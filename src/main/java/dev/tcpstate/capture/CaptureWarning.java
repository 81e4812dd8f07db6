package dev.tcpstate.capture;

/** A problem in a capture that did not stop the reading, with where it was found. */
public record CaptureWarning(String source, long offset, String message) {
    @Override
    public String toString() {
        return source + ": offset " + offset + ": " + message;
    }
}
