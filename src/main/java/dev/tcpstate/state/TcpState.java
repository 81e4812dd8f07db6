package dev.tcpstate.state;

import java.util.Locale;

/**
 * The eleven connection states of RFC 793 (RFC 9293 section 3.3.2), plus UNKNOWN for an endpoint
 * whose state the capture does not show (the capture began mid-connection).
 */
public enum TcpState {
    CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING,
    LAST_ACK, TIME_WAIT, UNKNOWN;

    /** RFC spelling, e.g. {@code FIN-WAIT-1}, as in the RFC's figures and {@code ss}. */
    public String rfcName() {
        return name().replace('_', '-');
    }

    /** Lower case with dashes, for tables and JSON: {@code fin-wait-1}. */
    public String label() {
        return LABELS[ordinal()];
    }

    /** Each label made once: records are written by the million. */
    private static final String[] LABELS = java.util.Arrays.stream(values())
            .map(state -> state.rfcName().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    /** States in which the endpoint has a synchronized connection (RFC 793 3.4). */
    public boolean synchronizedState() {
        return switch (this) {
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> true;
            default -> false;
        };
    }
}
