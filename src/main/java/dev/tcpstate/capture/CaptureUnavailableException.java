package dev.tcpstate.capture;

import java.io.IOException;

/** A capture that cannot be started: no libpcap, no permission, no such interface. */
public final class CaptureUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The one line shown when libpcap cannot be loaded. */
    public static final String NO_LIBPCAP = "live capture needs libpcap: apt-get install libpcap0.8";

    public CaptureUnavailableException(String message) {
        super(message);
    }

    private CaptureUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * pcap4j reports a missing libpcap as a linkage error when its native mappings load. The
     * message stays one line; JNA's search details are the cause (shown with --stacktrace).
     */
    static CaptureUnavailableException fromLinkageError(LinkageError error) {
        return new CaptureUnavailableException(NO_LIBPCAP, error);
    }
}
