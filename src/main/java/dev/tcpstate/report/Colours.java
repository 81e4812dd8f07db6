package dev.tcpstate.report;

import dev.tcpstate.state.Outcome;

/**
 * The HTML report's colours, fixed by meaning so that every chart, legend and table row agrees:
 * green for a complete connection, reds for refusals and resets, oranges for attempts left
 * unanswered or half-open, greys for connections still open or cut by the capture.
 */
final class Colours {
    /** Connection attempts (the SYN rate): not an outcome, so none of the outcomes' hues. */
    static final String ATTEMPTS = "#1565c0";
    /** The handshake RTT histogram. */
    static final String RTT = "#1565c0";
    /** The SYN flood windows shaded behind the SYN rate. */
    static final String FLOOD = "#ffcdd2";
    /** Hosts have no meaning to colour by: blues and purples, none an outcome's. */
    private static final String[] HOSTS = {"#1565c0", "#6a1b9a", "#00838f", "#283593", "#4e342e"};

    private Colours() {
    }

    static String outcome(Outcome outcome) {
        return switch (outcome) {
            case COMPLETE -> "#2e7d32";
            case REFUSED -> "#c62828";
            case RESET_IN_HANDSHAKE -> "#e53935";
            case RESET -> "#ad1457";
            case UNANSWERED -> "#ef6c00";
            case NO_FINAL_ACK -> "#f9a825";
            case HALF_OPEN -> "#ff7043";
            case HALF_CLOSED -> "#546e7a";
            case OPEN -> "#90a4ae";
            case MIDSTREAM -> "#b0bec5";
            case CONTINUED -> "#cfd8dc";
        };
    }

    /** The {@code rank}-th busiest host's line. */
    static String host(int rank) {
        return HOSTS[rank % HOSTS.length];
    }
}
