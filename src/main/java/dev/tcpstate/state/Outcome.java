package dev.tcpstate.state;

import java.util.Locale;

/**
 * tcpstate's word for how a connection went (docs/state-model.md), richer than Zeek's
 * {@code conn_state}. {@link #classify} decides it from the endpoints' machine.
 */
public enum Outcome {
    /** Handshake done and both sides sent their FIN. */
    COMPLETE,
    /** The SYN was answered by a RST: nothing listens on that port. */
    REFUSED,
    /** SYNs (maybe retried) that nothing answered. */
    UNANSWERED,
    /** A SYN-ACK came back, but the originator never acknowledged it (spoofed source, flood). */
    NO_FINAL_ACK,
    /** Reset before the handshake completed, other than a refusal. */
    RESET_IN_HANDSHAKE,
    /** Established, then reset. */
    RESET,
    /**
     * One side kept retransmitting to a peer that had lost the connection: the peer's RST ended it
     * (RFC 793 half-open discovery), or the capture ended while it still got no answer.
     */
    HALF_OPEN,
    /** One side sent its FIN, the other never did. */
    HALF_CLOSED,
    /** Established and still alive at the end of the capture. */
    OPEN,
    /** The capture began after the connection did, and nothing more decisive was seen. */
    MIDSTREAM,
    /**
     * Zeek ended this record but its endpoints went on in a later record ({@code continued_in}),
     * which holds the connection's outcome: a SYN retried after the attempt timer, a
     * simultaneous open that Zeek cut at each crossing SYN.
     */
    CONTINUED;

    /**
     * Retransmissions into silence at the end of a capture that make a connection half-open: a
     * sender's timer doubles each time (RFC 6298), so three unanswered copies span several RTOs.
     */
    public static final int SILENT_PEER_RETRANSMITS = 3;

    /** Stable lower-case name, e.g. {@code no-final-ack}: part of the NDJSON contract. */
    public String label() {
        return LABELS[ordinal()];
    }

    /** Each label made once: records are written by the million. */
    private static final String[] LABELS = java.util.Arrays.stream(values())
            .map(outcome -> outcome.name().toLowerCase(Locale.ROOT).replace('_', '-')).toArray(String[]::new);

    /**
     * The outcome of a connection, checked in this order: resets (refusal, in the handshake, after
     * a peer vanished, or plain), then unfinished handshakes, then how it closed.
     */
    public static Outcome classify(ConnectionMachine machine, boolean midstream) {
        return classify(machine, midstream, Side.ORIGINATOR);
    }

    /**
     * As {@link #classify(ConnectionMachine, boolean)}, where the connection's originator is the
     * machine's side {@code originator}: the machine keeps the sides of the packet it saw first,
     * and when the capture recorded the SYN-ACK before the SYN the originator is its responder.
     */
    public static Outcome classify(ConnectionMachine machine, boolean midstream, Side originator) {
        Side responder = originator.peer();
        boolean established = machine.everEstablished();
        if (machine.lost().isPresent() && (established || midstream)) {
            // RFC 793 figure 10: one end lost the connection and connected again
            return HALF_OPEN;
        }
        var resetBy = machine.resetBy();
        if (resetBy.isPresent()) {
            Side resetter = resetBy.get();
            if (!established && !midstream) {
                boolean answeredSyn = machine.sentSynAck(responder);
                return resetter == responder && !answeredSyn ? REFUSED : RESET_IN_HANDSHAKE;
            }
            // RFC 793 half-open discovery: the peer retransmitted into the void, then got the RST
            return machine.unansweredRetransmitsBeforeReset() > 0 ? HALF_OPEN : RESET;
        }
        if (!established && !midstream) {
            return machine.sentSynAck(responder) ? NO_FINAL_ACK : UNANSWERED;
        }
        if (machine.unansweredRetransmits(originator) >= SILENT_PEER_RETRANSMITS
                || machine.unansweredRetransmits(responder) >= SILENT_PEER_RETRANSMITS) {
            return HALF_OPEN;
        }
        boolean originatorFin = machine.sentFin(originator);
        boolean responderFin = machine.sentFin(responder);
        if (originatorFin && responderFin) {
            return COMPLETE;
        }
        if (originatorFin || responderFin) {
            return HALF_CLOSED;
        }
        return established ? OPEN : MIDSTREAM;
    }
}
