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

    /** pcap4j reports a missing libpcap as a linkage error when its native mappings load. */
    static CaptureUnavailableException fromLinkageError(LinkageError error) {
        return new CaptureUnavailableException(NO_LIBPCAP + " (" + error.getClass().getSimpleName() + ": "
                + error.getMessage() + ")");
    }
}
