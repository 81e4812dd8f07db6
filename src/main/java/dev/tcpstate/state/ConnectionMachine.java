package dev.tcpstate.state;

import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The RFC 793 state of both endpoints of one connection instance, as a passive observer infers
 * it (the rules, with the RFC's figures worked through, are in docs/state-model.md):
 * <ul>
 * <li>What an endpoint sends is evidence of its own state: a SYN means SYN-SENT, a SYN-ACK
 * SYN-RECEIVED, a FIN moves it on from ESTABLISHED or CLOSE-WAIT, a RST means it has no
 * connection.</li>
 * <li>The ACK field of a segment reaches its receiver at once: a SYN or a FIN of the receiver's
 * that it acknowledges moves the receiver on.</li>
 * <li>A SYN or FIN is pending at its receiver until the receiver acknowledges it or the sender
 * sends something later (segments arrive in the order they were sent); at the end of the capture
 * what is still pending stays undelivered. So
 * segments that cross in flight (simultaneous open and close) come out as in RFC 793's figures 8
 * and 14: the receiver's own segment that does not acknowledge them shows they had not arrived.</li>
 * </ul>
 * Retransmitted SYNs and FINs change nothing but a counter. A RST changes its receiver only when
 * acceptable (in window; in SYN-SENT, acknowledging the SYN). TIME-WAIT ends 2×MSL of packet time
 * after it began. Every change goes through {@link #move}, which records it.
 */
public final class ConnectionMachine {
    private final Endpoint originator = new Endpoint(Side.ORIGINATOR);
    private final Endpoint responder = new Endpoint(Side.RESPONDER);
    private final long timeWaitNanos;
    /** Every change, when recorded (null when not: most records never show theirs, and it is most of their size). */
    private final List<Transition> transitions;
    private Side resetBy;
    /** Retransmissions the resetter's peer had sent unanswered when the first RST came. */
    private int unansweredBeforeReset;
    /** The originator was sent a SYN-ACK acknowledging something it never sent. */
    private boolean synAckWithWrongAck;
    private boolean established;
    /** RSTs their receiver did not believe (RFC 5961): in its window but not at RCV.NXT, and outside it. */
    private int challengedResets;
    private int droppedResets;
    /** RSTs believed after both FINs were acknowledged: they end a TIME-WAIT, not a connection. */
    private int resetsAfterClose;
    /** When such a RST ended an endpoint's TIME-WAIT before its 2×MSL; MIN_VALUE when none did. */
    private long timeWaitEndedEarly;
    /** An endpoint that had sent into silence gave up with a RST. */
    private boolean gaveUp;
    /** The endpoint whose socket was found gone (it sent a SYN with a new ISN on the connection); null: none. */
    private Side lost;
    /** ACKs the other endpoint sent in answer to that SYN (RFC 5961 section 4: challenge ACKs). */
    private int challengeAcks;
    /** Plain ACKs sent to an endpoint in SYN-SENT that do not acknowledge its SYN (a challenge ACK of an older connection). */
    private int unacceptableAcks;
    /** RSTs with which an endpoint in SYN-SENT answered such an ACK, staying in SYN-SENT. */
    private int resetsInSynSent;
    /** Copies of an endpoint's SYN sent after it was synchronized (old duplicates). */
    private int duplicateSyns;
    /** When the originator last sent its SYN, and when the handshake completed on both sides. */
    private long lastSynNanos = Long.MIN_VALUE;
    private long handshakeDoneNanos = Long.MIN_VALUE;
    private long now = Long.MIN_VALUE;
    private long frame;

    /**
     * @param timeWaitNanos how long TIME-WAIT lasts: 2 × MSL
     * @param midstream the capture starts after the connection did: both endpoints start UNKNOWN
     */
    public ConnectionMachine(long timeWaitNanos, boolean midstream) {
        this(timeWaitNanos, midstream, true);
    }

    /**
     * @param recordTransitions keep every change with its cause ({@link #transitions()}); ladders
     *     and the live detail view need them, reports do not
     */
    public ConnectionMachine(long timeWaitNanos, boolean midstream, boolean recordTransitions) {
        this.transitions = recordTransitions ? new ArrayList<>() : null;
        this.timeWaitNanos = timeWaitNanos;
        start(midstream);
    }

    /**
     * Makes this a new connection's machine, as the constructor does: the tracker reuses the
     * objects of ended records (a flood would otherwise allocate them millions of times).
     */
    public void start(boolean midstream) {
        originator.clear(midstream);
        responder.clear(midstream);
        if (transitions != null) {
            transitions.clear();
        }
        resetBy = null;
        unansweredBeforeReset = 0;
        synAckWithWrongAck = false;
        established = false;
        challengedResets = 0;
        droppedResets = 0;
        resetsAfterClose = 0;
        timeWaitEndedEarly = Long.MIN_VALUE;
        gaveUp = false;
        lost = null;
        challengeAcks = 0;
        unacceptableAcks = 0;
        resetsInSynSent = 0;
        duplicateSyns = 0;
        lastSynNanos = Long.MIN_VALUE;
        handshakeDoneNanos = Long.MIN_VALUE;
        now = Long.MIN_VALUE;
        frame = 0;
    }

    private static final TcpState[] TCP_STATES = TcpState.values();

    /** What the observer knows of one endpoint. */
    private static final class Endpoint {
        final Side side;
        /** The state as a number: see {@link #state()}. */
        byte state;
        boolean passiveOpen;
        boolean synSent;
        boolean synAckSent;
        int isn;
        boolean sentAnything;
        int nextSeq;
        boolean ackSent;
        int lastAck;
        boolean finSent;
        int finSeq;
        boolean finAcked;
        /** The peer's SYN (or SYN-ACK, acknowledging {@code pendingSynAck}) has not arrived here yet. */
        boolean pendingSyn;
        boolean pendingSynHasAck;
        int pendingSynAck;
        /** The peer's FIN has not arrived here yet. */
        boolean pendingFin;
        /** In SYN-SENT it was sent an ACK of something it never sent; it answers with a RST. */
        boolean badAckSeen;
        int badAck;
        int window;
        int windowScale;
        int synRetransmits;
        int retransmits;
        /** Retransmissions and keepalive probes since the peer last sent anything: sending into silence. */
        int unansweredRetransmits;
        /** Keepalive probes it sent (no data, one below its next sequence number). */
        int keepaliveProbes;
        /** Segments with data it sent after the peer had reset the connection. */
        int dataAfterPeerReset;
        long timeWaitSince;

        Endpoint(Side side) {
            this.side = side;
            clear(false);
        }

        TcpState state() {
            return TCP_STATES[state];
        }

        /**
         * Kept as a number: the tracker reuses endpoints, and a reference written into a
         * long-lived object costs the garbage collector a card to refine, per state change.
         */
        void state(TcpState to) {
            state = (byte) to.ordinal();
        }

        /** Back to a new connection's endpoint: every field but its side. */
        void clear(boolean midstream) {
            state(midstream ? TcpState.UNKNOWN : TcpState.CLOSED);
            passiveOpen = false;
            synSent = false;
            synAckSent = false;
            isn = 0;
            sentAnything = false;
            nextSeq = 0;
            ackSent = false;
            lastAck = 0;
            finSent = false;
            finSeq = 0;
            finAcked = false;
            pendingSyn = false;
            pendingSynHasAck = false;
            pendingSynAck = 0;
            pendingFin = false;
            badAckSeen = false;
            badAck = 0;
            window = -1;
            windowScale = -1;
            synRetransmits = 0;
            retransmits = 0;
            unansweredRetransmits = 0;
            keepaliveProbes = 0;
            dataAfterPeerReset = 0;
            timeWaitSince = Long.MIN_VALUE;
        }
    }

    /** Feeds one segment sent by {@code from}. Allocates only when a state changes. */
    public void segment(Side from, TcpSegment segment) {
        Endpoint sender = endpoint(from);
        Endpoint receiver = endpoint(from.peer());
        advanceTo(segment.timestampNanos());
        frame = segment.frameNumber();
        int flags = segment.flags();
        boolean syn = (flags & TcpFlags.SYN) != 0;
        boolean ack = (flags & TcpFlags.ACK) != 0;
        boolean fin = (flags & TcpFlags.FIN) != 0;
        boolean rst = (flags & TcpFlags.RST) != 0;
        int seq = segment.sequence();
        int length = segment.sequenceLength();
        int acknowledgement = segment.acknowledgement();

        boolean retransmission = sender.sentAnything && length > 0 && Seq.leq(seq + length, sender.nextSeq);
        // a keepalive probe: nothing new, one below the next sequence number, so that the peer
        // must answer with an ACK (RFC 1122 4.2.3.6; Linux sends it with no data)
        boolean keepalive = !syn && !fin && !rst && length == 0 && sender.sentAnything && !sender.finSent
                && seq == sender.nextSeq - 1
                && (sender.state() == TcpState.ESTABLISHED || sender.state() == TcpState.CLOSE_WAIT);
        if (rst && resetBy == null) {
            unansweredBeforeReset = receiver.unansweredRetransmits;
        }
        receiver.unansweredRetransmits = 0; // the sender speaks: what the receiver sent got an answer
        if (lost != null && lost != from && ack && !syn && !fin && !rst && length == 0
                && synchronizedState(sender.state())) {
            challengeAcks++;
        }
        if (resetBy != null && resetBy != from && !rst && segment.payloadLength() > 0) {
            sender.dataAfterPeerReset++;
        }

        // What the sender acknowledges has arrived at the sender; a RST answers what it received.
        if (rst) {
            deliverBeforeReset(sender, receiver);
        } else if (ack) {
            deliverAcknowledged(sender, receiver, acknowledgement, syn);
        }
        // What the sender sent before this segment arrives first, unless this is a copy of it
        // sent again (a retransmission suggests the first copy was lost). A SYN-ACK after the
        // sender's own SYN (simultaneous open) reuses the SYN's sequence number but is no copy.
        boolean copy = retransmission && !(syn && ack && !sender.synAckSent);
        if (!copy) {
            deliverPending(receiver, sender);
        }

        if (rst) {
            reset(sender, receiver, seq, ack, acknowledgement);
            return;
        }
        // crossing SYN-ACKs (simultaneous open): each arrives just after its receiver sent its own
        boolean crossing = syn && ack && sender.pendingSyn && sender.pendingSynHasAck
                && sender.state() == TcpState.SYN_RECEIVED && receiver.state() == TcpState.SYN_RECEIVED;
        if (syn) {
            sendSyn(sender, receiver, seq, ack, acknowledgement, retransmission);
            if (crossing) {
                deliverPending(sender, receiver);
                deliverPending(receiver, sender);
            }
            if (sender.windowScale < 0) {
                sender.windowScale = segment.windowScale();
            }
        } else if (retransmission) {
            sender.retransmits++;
            sender.unansweredRetransmits++;
        } else if (keepalive) {
            sender.keepaliveProbes++;
            sender.unansweredRetransmits++;
        }
        boolean finAckedBefore = receiver.finAcked;
        if (ack) {
            sender.ackSent = true;
            sender.lastAck = acknowledgement;
            if (!syn) {
                // a SYN-ACK's acknowledgement arrives with its SYN (pending, above): in a
                // simultaneous open its receiver may not have it yet
                receiveAck(receiver, acknowledgement);
            }
        }
        if (fin && !sender.finSent) {
            sendFin(sender, receiver, seq + length - 1);
            if (receiver.finAcked && !finAckedBefore) {
                // one segment: its ACK of the receiver's FIN has arrived, so its FIN has too (a
                // FIN,ACK answering a FIN leaves its receiver in TIME-WAIT, never FIN-WAIT-2)
                receiver.pendingFin = false;
                receiveFin(receiver);
            }
        }
        if (!sender.sentAnything || Seq.gt(seq + length, sender.nextSeq)) {
            sender.nextSeq = seq + length;
        }
        sender.sentAnything = true;
        sender.window = segment.window();
    }

    /**
     * Delivers to {@code endpoint} the peer's pending SYN/FIN that its acknowledgement covers.
     * {@code synAck}: the endpoint is sending a SYN-ACK, which shows that a SYN-ACK of the peer's
     * had not reached it (it would answer that with a plain ACK): the two crossed, as in a
     * simultaneous open (RFC 9293 figure 8), and only the SYN in it may have arrived.
     */
    private void deliverAcknowledged(Endpoint endpoint, Endpoint peer, int acknowledgement, boolean synAck) {
        if (endpoint.pendingSyn && peer.synSent && Seq.geq(acknowledgement, peer.isn + 1)) {
            if (synAck && endpoint.pendingSynHasAck) {
                if (endpoint.state() == TcpState.SYN_SENT) {
                    move(endpoint, TcpState.SYN_RECEIVED, "received SYN in SYN-SENT: simultaneous open");
                }
            } else {
                endpoint.pendingSyn = false;
                receiveSyn(endpoint, peer);
            }
        } else if (!endpoint.pendingSyn && endpoint.state() == TcpState.SYN_SENT && peer.synSent
                && acknowledgement == peer.isn + 1) {
            // it acknowledges the peer's SYN although no SYN-ACK reached it in the capture
            move(endpoint, TcpState.ESTABLISHED, "acknowledged the peer's SYN");
        }
        if (endpoint.pendingFin && Seq.geq(acknowledgement, peer.finSeq + 1)) {
            endpoint.pendingFin = false;
            receiveFin(endpoint);
        }
    }

    /** Delivers whatever the peer sent that has not arrived at {@code endpoint} yet. */
    private void deliverPending(Endpoint endpoint, Endpoint peer) {
        if (endpoint.pendingSyn) {
            endpoint.pendingSyn = false;
            receiveSyn(endpoint, peer);
        }
        if (endpoint.pendingFin) {
            endpoint.pendingFin = false;
            receiveFin(endpoint);
        }
    }

    /**
     * A RST answers what its sender received. A SYN-ACK answered with a RST was refused, not
     * accepted: it leaves SYN-SENT as it is (or records the bad ACK the RST answers, figure 9).
     */
    private void deliverBeforeReset(Endpoint sender, Endpoint peer) {
        if (sender.pendingSyn && sender.pendingSynHasAck && sender.state() == TcpState.SYN_SENT) {
            sender.pendingSyn = false;
            if (!(sender.synSent && sender.pendingSynAck == sender.isn + 1)) {
                sender.badAckSeen = true;
                sender.badAck = sender.pendingSynAck;
                synAckWithWrongAck |= sender.side == Side.ORIGINATOR;
            }
        }
        deliverPending(sender, peer);
    }

    private void sendSyn(Endpoint sender, Endpoint receiver, int seq, boolean ack, int acknowledgement,
            boolean retransmission) {
        if (!ack) {
            switch (sender.state()) {
                case CLOSED, LISTEN, UNKNOWN -> {
                    sender.isn = seq;
                    sender.synSent = true;
                    noteSyn(sender);
                    move(sender, TcpState.SYN_SENT, "sent SYN");
                }
                case SYN_SENT -> {
                    if (seq == sender.isn) {
                        sender.synRetransmits++;
                        noteSyn(sender);
                    }
                }
                default -> {
                    if (seq == sender.isn) {
                        // a copy of its SYN inside the connection (an old duplicate): nothing
                        // changes; its peer answers with a challenge ACK (RFC 5961 section 4)
                        duplicateSyns++;
                    } else {
                        // a SYN with a new ISN: the connection it had is gone on its side (RFC 793 fig. 10)
                        sender.isn = seq;
                        sender.finSent = false;
                        sender.finAcked = false;
                        move(sender, TcpState.SYN_SENT, "sent SYN with a new ISN: its old connection is gone");
                    }
                }
            }
        } else {
            switch (sender.state()) {
                case CLOSED, UNKNOWN -> {
                    sender.passiveOpen = true;
                    move(sender, TcpState.LISTEN, "passive open, inferred from its SYN-ACK");
                    sender.isn = seq;
                    move(sender, TcpState.SYN_RECEIVED, "received SYN, sent SYN-ACK");
                }
                case LISTEN -> {
                    sender.isn = seq;
                    move(sender, TcpState.SYN_RECEIVED, "received SYN, sent SYN-ACK");
                }
                case SYN_SENT -> move(sender, TcpState.SYN_RECEIVED, "sent SYN-ACK in SYN-SENT: simultaneous open");
                default -> sender.synRetransmits += sender.synAckSent && retransmission ? 1 : 0;
            }
            sender.synSent = true;
            sender.synAckSent = true;
        }
        receiver.pendingSyn = true;
        receiver.pendingSynHasAck = ack;
        receiver.pendingSynAck = acknowledgement;
    }

    /** Karn's rule: the handshake's round trip is timed from the last copy of the SYN. */
    private void noteSyn(Endpoint sender) {
        if (sender.side == Side.ORIGINATOR && handshakeDoneNanos == Long.MIN_VALUE) {
            lastSynNanos = now;
        }
    }

    /** RFC 793 SEGMENT ARRIVES for a SYN or SYN-ACK, at the endpoint it was sent to. */
    private void receiveSyn(Endpoint endpoint, Endpoint peer) {
        if (endpoint.pendingSynHasAck) {
            if (endpoint.state() == TcpState.CLOSED && !endpoint.synSent && !endpoint.sentAnything) {
                // a SYN-ACK answers a SYN the capture missed: its sender was in SYN-SENT
                endpoint.isn = endpoint.pendingSynAck - 1;
                endpoint.synSent = true;
                move(endpoint, TcpState.SYN_SENT, "sent SYN (inferred: the capture missed it)");
            }
            if (endpoint.state() == TcpState.SYN_RECEIVED && endpoint.synSent
                    && Seq.geq(endpoint.pendingSynAck, endpoint.isn + 1)) {
                move(endpoint, TcpState.ESTABLISHED, "received SYN-ACK in SYN-RECEIVED: simultaneous open");
            } else if (endpoint.state() == TcpState.SYN_SENT) {
                if (endpoint.synSent && endpoint.pendingSynAck == endpoint.isn + 1) {
                    move(endpoint, TcpState.ESTABLISHED, "received SYN-ACK acknowledging its SYN");
                } else {
                    endpoint.badAckSeen = true;
                    endpoint.badAck = endpoint.pendingSynAck;
                    synAckWithWrongAck |= endpoint.side == Side.ORIGINATOR;
                }
            }
        } else if (endpoint.state() == TcpState.SYN_SENT && peer.synSent) {
            move(endpoint, TcpState.SYN_RECEIVED, "received SYN in SYN-SENT: simultaneous open");
        }
    }

    /** The ACK field, at the endpoint it was sent to: its SYN or FIN may now be acknowledged. */
    private void receiveAck(Endpoint endpoint, int acknowledgement) {
        if (endpoint.state() == TcpState.SYN_RECEIVED && endpoint.synSent && Seq.geq(acknowledgement, endpoint.isn + 1)) {
            move(endpoint, TcpState.ESTABLISHED, "received ACK of its SYN");
        } else if (endpoint.state() == TcpState.SYN_SENT && acknowledgement != endpoint.isn + 1) {
            unacceptableAcks++;
            endpoint.badAckSeen = true;
            endpoint.badAck = acknowledgement;
        }
        if (endpoint.finSent && !endpoint.finAcked && Seq.geq(acknowledgement, endpoint.finSeq + 1)) {
            endpoint.finAcked = true;
            switch (endpoint.state()) {
                case FIN_WAIT_1 -> move(endpoint, TcpState.FIN_WAIT_2, "received ACK of its FIN");
                case CLOSING -> enterTimeWait(endpoint, "received ACK of its FIN in CLOSING");
                case LAST_ACK -> move(endpoint, TcpState.CLOSED, "received ACK of its FIN in LAST-ACK");
                default -> {
                    // not waiting for it
                }
            }
        }
    }

    private void sendFin(Endpoint sender, Endpoint receiver, int finSeq) {
        sender.finSent = true;
        sender.finSeq = finSeq;
        switch (sender.state()) {
            case ESTABLISHED, SYN_RECEIVED, UNKNOWN -> move(sender, TcpState.FIN_WAIT_1, "sent FIN");
            case CLOSE_WAIT -> move(sender, TcpState.LAST_ACK, "sent FIN in CLOSE-WAIT");
            default -> {
                // a FIN in SYN-SENT is queued by the sender; later states have sent theirs
            }
        }
        receiver.pendingFin = true;
    }

    /** RFC 793 "eighth, check the FIN bit", at the endpoint the FIN was sent to. */
    private void receiveFin(Endpoint endpoint) {
        switch (endpoint.state()) {
            case ESTABLISHED, SYN_RECEIVED, UNKNOWN -> move(endpoint, TcpState.CLOSE_WAIT, "received FIN");
            case FIN_WAIT_1 -> {
                if (endpoint.finAcked) {
                    enterTimeWait(endpoint, "received FIN with its own FIN acknowledged");
                } else {
                    move(endpoint, TcpState.CLOSING, "received FIN in FIN-WAIT-1: simultaneous close");
                }
            }
            case FIN_WAIT_2 -> enterTimeWait(endpoint, "received FIN in FIN-WAIT-2");
            default -> {
                // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: a repeated FIN changes nothing
            }
        }
    }

    private void reset(Endpoint sender, Endpoint receiver, int seq, boolean ack, int acknowledgement) {
        if (sender.state() == TcpState.SYN_SENT && sender.badAckSeen && seq == sender.badAck) {
            // RFC 793 figures 9 and 10: SYN-SENT answers an unacceptable ACK with a RST and stays.
            sender.badAckSeen = false;
            resetsInSynSent++;
        } else if (!acceptable(sender, receiver, seq, ack, acknowledgement)) {
            // RFC 5961 section 3: the receiver drops it (out of window) or answers with a challenge
            // ACK (in window, not RCV.NXT). Nothing says its sender closed: an injected RST claims
            // a sender that goes on, and a sender that did close answers the challenge ACK with a
            // RST the receiver believes.
            if (inWindow(sender, receiver, seq)) {
                challengedResets++;
            } else {
                droppedResets++;
            }
            return;
        } else {
            if (closeCompleted()) {
                // both FINs were sent and acknowledged: the connection had ended, and this RST
                // only ends a TIME-WAIT early (RFC 1337; Linux does so unless tcp_rfc1337 is set)
                resetsAfterClose++;
            } else if (sender.unansweredRetransmits >= Outcome.SILENT_PEER_RETRANSMITS) {
                // it retransmitted or probed into silence and gave up (tcp_retries2, keepalive):
                // a peer that went away, not a reset of a live connection
                gaveUp = true;
            } else if (resetBy == null) {
                resetBy = sender.side;
            }
            move(sender, TcpState.CLOSED, "sent RST");
        }
        switch (receiver.state()) {
            case CLOSED, LISTEN -> {
                // nothing to reset (RFC 793: a RST in LISTEN is ignored)
            }
            case SYN_RECEIVED -> move(receiver, receiver.passiveOpen ? TcpState.LISTEN : TcpState.CLOSED,
                    "received RST in SYN-RECEIVED");
            case TIME_WAIT -> {
                timeWaitEndedEarly = timeWaitEndedEarly == Long.MIN_VALUE ? now : timeWaitEndedEarly;
                move(receiver, TcpState.CLOSED,
                        "received RST in TIME-WAIT: it ends early (RFC 1337; Linux unless tcp_rfc1337=1)");
            }
            default -> move(receiver, TcpState.CLOSED, "received RST");
        }
    }

    /**
     * Whether the receiver believes a RST: RFC 793 section 3.4 "Reset Processing", narrowed by RFC
     * 5961 section 3.2 (as Linux does) so that in the synchronized states only a RST at exactly
     * RCV.NXT resets; one elsewhere in the window draws a challenge ACK, one outside it is dropped.
     */
    private boolean acceptable(Endpoint sender, Endpoint receiver, int seq, boolean ack, int acknowledgement) {
        if (receiver.state() == TcpState.SYN_SENT) {
            return ack && receiver.synSent && acknowledgement == receiver.isn + 1;
        }
        if (synchronizedState(receiver.state())) {
            // RCV.NXT as the capture shows it: what the receiver last acknowledged, or (all
            // delivered) the sender's next number; after the sender's FIN, Linux also takes the
            // FIN's own number (tcp_reset_check)
            boolean afterFin = receiver.state() == TcpState.CLOSE_WAIT || receiver.state() == TcpState.LAST_ACK
                    || receiver.state() == TcpState.CLOSING;
            boolean exact = receiver.ackSent && (seq == receiver.lastAck || afterFin && seq == receiver.lastAck - 1)
                    || sender.sentAnything && (seq == sender.nextSeq || afterFin && seq == sender.nextSeq - 1);
            if (exact || receiver.ackSent || sender.sentAnything) {
                return exact;
            }
        }
        if (inWindow(sender, receiver, seq)) {
            return true;
        }
        // a RST from an endpoint that sent nothing else: it answers the receiver's segment
        return !sender.sentAnything && (!receiver.sentAnything || !ack || Seq.leq(acknowledgement, receiver.nextSeq));
    }

    /** RFC 793's test: the RST's number lies in the receiver's window, from its RCV.NXT as the capture shows it. */
    private static boolean inWindow(Endpoint sender, Endpoint receiver, int seq) {
        long window = Math.max(receiver.window, 1);
        if (receiver.windowScale > 0 && sender.windowScale >= 0) {
            window <<= Math.min(receiver.windowScale, 14);
        }
        // RCV.NXT is what the receiver last acknowledged, or (all delivered) the sender's next number.
        return receiver.ackSent && Seq.inWindow(seq, receiver.lastAck, window)
                || sender.sentAnything && (seq == sender.nextSeq || Seq.inWindow(seq, sender.nextSeq, window));
    }

    /** ESTABLISHED and after: where RFC 5961 asks a RST for the exact sequence number. */
    private static boolean synchronizedState(TcpState state) {
        return switch (state) {
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> true;
            default -> false;
        };
    }

    private void enterTimeWait(Endpoint endpoint, String cause) {
        endpoint.timeWaitSince = now;
        move(endpoint, TcpState.TIME_WAIT, cause);
    }

    /** Moves the clock to {@code nanos}: TIME-WAIT that has lasted 2×MSL by then ends. */
    public void advanceTo(long nanos) {
        expireTimeWait(originator, nanos);
        expireTimeWait(responder, nanos);
        now = Math.max(now, nanos);
    }

    /**
     * The capture ends at {@code nanos}: TIME-WAIT that has run its 2×MSL by then has ended. A SYN
     * or FIN still pending stays undelivered: nothing shows it arrived (a SYN-ACK sent to a spoofed
     * address never does), so its receiver keeps the state the evidence gave it.
     */
    public void finish(long nanos) {
        advanceTo(nanos);
    }

    private void expireTimeWait(Endpoint endpoint, long nanos) {
        if (endpoint.state() == TcpState.TIME_WAIT && nanos - endpoint.timeWaitSince >= timeWaitNanos) {
            long saved = now;
            long savedFrame = frame;
            now = endpoint.timeWaitSince + timeWaitNanos;
            frame = -1;
            move(endpoint, TcpState.CLOSED, "2×MSL elapsed in TIME-WAIT");
            now = saved;
            frame = savedFrame;
        }
    }

    /** The one way a state changes: recorded with time, frame and cause. */
    private void move(Endpoint endpoint, TcpState to, String cause) {
        if (endpoint.state() == to) {
            return;
        }
        if (transitions != null) {
            transitions.add(new Transition(now, endpoint.side, endpoint.state(), to, frame, cause));
        }
        endpoint.state(to);
        if (to == TcpState.ESTABLISHED) {
            established = true;
            if (handshakeDoneNanos == Long.MIN_VALUE && lastSynNanos != Long.MIN_VALUE
                    && originator.state() == TcpState.ESTABLISHED && responder.state() == TcpState.ESTABLISHED) {
                handshakeDoneNanos = now;
            }
        }
    }

    private Endpoint endpoint(Side side) {
        return side == Side.ORIGINATOR ? originator : responder;
    }

    /**
     * Whether a SYN from {@code from} goes on with these endpoints' sockets, although Zeek starts
     * a new record at it: a copy of its own unanswered SYN (same ISN), or, while the peer waits in
     * SYN-SENT, a SYN from an endpoint that had sent nothing (a simultaneous open).
     */
    public boolean continuedBy(Side from, int flags, int seq) {
        if ((flags & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST | TcpFlags.FIN)) != TcpFlags.SYN) {
            return false;
        }
        Endpoint sender = endpoint(from);
        Endpoint peer = endpoint(from.peer());
        if (sender.state() == TcpState.SYN_SENT && sender.synSent && seq == sender.isn) {
            return true;
        }
        return !sender.sentAnything && peer.state() == TcpState.SYN_SENT && peer.synSent && !peer.synAckSent;
    }

    /**
     * Whether a SYN from {@code from} shows that its end of this synchronized connection is gone
     * (RFC 793 figure 10: the host crashed or aborted without the RST reaching the peer, and
     * connects again from the same port): a new ISN while both endpoints were synchronized and
     * neither had closed.
     */
    public boolean lostBy(Side from, int flags, int seq) {
        if ((flags & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) != TcpFlags.SYN) {
            return false;
        }
        Endpoint sender = endpoint(from);
        Endpoint peer = endpoint(from.peer());
        return open(sender.state()) && open(peer.state()) && sender.sentAnything && !(sender.synSent && seq == sender.isn);
    }

    /** Synchronized and not yet closing down to TIME-WAIT or CLOSED. */
    private static boolean open(TcpState state) {
        return state == TcpState.UNKNOWN || synchronizedState(state) && state != TcpState.TIME_WAIT;
    }

    /**
     * {@code side}'s socket is gone ({@link #lostBy}): it is CLOSED here, and the connection was
     * half-open from then on, whatever its other endpoint does next.
     */
    public void lose(Side side, long nanos, long frameNumber) {
        lost = lost == null ? side : lost;
        gone(side, nanos, frameNumber,
                "sent SYN with a new ISN: its socket of this connection is gone (RFC 793 figure 10)");
    }

    /** {@code side}'s socket of this connection is gone, as {@code cause} shows: it is CLOSED. */
    public void gone(Side side, long nanos, long frameNumber, String cause) {
        advanceTo(nanos);
        frame = frameNumber;
        move(endpoint(side), TcpState.CLOSED, cause);
    }

    /** The endpoint found gone by a new SYN of its own, if one was. */
    public Optional<Side> lost() {
        return Optional.ofNullable(lost);
    }

    /** ACKs the surviving endpoint sent in answer to the lost one's new SYN (challenge ACKs, RFC 5961 section 4). */
    public int challengeAcks() {
        return challengeAcks;
    }

    /** Copies of an endpoint's SYN sent once it was synchronized (old duplicates). */
    public int duplicateSyns() {
        return duplicateSyns;
    }

    /** Plain ACKs to an endpoint in SYN-SENT that did not acknowledge its SYN. */
    public int unacceptableAcks() {
        return unacceptableAcks;
    }

    /** RSTs an endpoint in SYN-SENT sent in answer to an unacceptable ACK (it stays in SYN-SENT). */
    public int resetsInSynSent() {
        return resetsInSynSent;
    }

    /** Whether {@code side} still holds the connection: synchronized and not closed. */
    public boolean holds(Side side) {
        return open(endpoint(side).state());
    }

    public TcpState state(Side side) {
        return endpoint(side).state();
    }

    /** The side's initial sequence number, if it sent a SYN. */
    public java.util.OptionalInt isn(Side side) {
        Endpoint endpoint = endpoint(side);
        return endpoint.synSent ? java.util.OptionalInt.of(endpoint.isn) : java.util.OptionalInt.empty();
    }

    /** Whether both endpoints were ever synchronized (the handshake, or midstream traffic, completed). */
    public boolean everEstablished() {
        return established;
    }

    /**
     * Whether this instance is over, so that a new SYN on its four-tuple starts another: it was
     * reset, both endpoints are closed, or one of them sits in TIME-WAIT.
     */
    public boolean over() {
        TcpState a = originator.state();
        TcpState b = responder.state();
        return resetBy != null || a == TcpState.TIME_WAIT || b == TcpState.TIME_WAIT
                || (a == TcpState.CLOSED && b == TcpState.CLOSED);
    }

    /** Whether the side sent a FIN. */
    public boolean sentFin(Side side) {
        return endpoint(side).finSent;
    }

    /** Whether the side answered a SYN with a SYN-ACK. */
    public boolean sentSynAck(Side side) {
        return endpoint(side).synAckSent;
    }

    /** Every change so far, in order. */
    public List<Transition> transitions() {
        return transitions == null ? List.of() : List.copyOf(transitions);
    }

    /** Who sent the first RST, if anyone did. */
    /**
     * RSTs their receiver did not believe because they lay in its window but not at RCV.NXT: RFC
     * 5961 section 3.2 answers each with a challenge ACK.
     */
    public int challengedResets() {
        return challengedResets;
    }

    /**
     * RSTs believed after both FINs had been sent and acknowledged: the connection had ended, so
     * they do not make it reset; one sent to an endpoint in TIME-WAIT ends that early (RFC 1337).
     */
    public int resetsAfterClose() {
        return resetsAfterClose;
    }

    /** When a RST ended an endpoint's TIME-WAIT before its 2×MSL (RFC 1337), if one did. */
    public OptionalLong timeWaitEndedEarly() {
        return timeWaitEndedEarly == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(timeWaitEndedEarly);
    }

    /** Whether an endpoint gave up with a RST after sending into silence (its peer had gone away). */
    public boolean gaveUp() {
        return gaveUp;
    }

    /** Keepalive probes the side sent. */
    public int keepaliveProbes(Side side) {
        return endpoint(side).keepaliveProbes;
    }

    /** Both sides sent a FIN and had it acknowledged. */
    private boolean closeCompleted() {
        return originator.finSent && originator.finAcked && responder.finSent && responder.finAcked;
    }

    /** RSTs their receiver dropped because they lay outside its window (RFC 793, RFC 5961 section 3.2). */
    public int droppedResets() {
        return droppedResets;
    }

    public Optional<Side> resetBy() {
        return Optional.ofNullable(resetBy);
    }

    /** SYNs (or SYN-ACKs) the side sent again with the same initial sequence number. */
    public int synRetransmits(Side side) {
        return endpoint(side).synRetransmits;
    }

    /**
     * The three-way handshake's round trip as the capture shows it: from the originator's last
     * copy of its SYN to the segment that made both sides ESTABLISHED (Wireshark's iRTT), the
     * same wherever on the path the capture was taken. Empty when no handshake completed.
     */
    public OptionalLong handshakeRttNanos() {
        return handshakeDoneNanos == Long.MIN_VALUE ? OptionalLong.empty()
                : OptionalLong.of(handshakeDoneNanos - lastSynNanos);
    }

    /**
     * Retransmissions the side sent since its peer last sent anything. Several at the end of a
     * capture mean it is sending into silence: the peer vanished.
     */
    public int unansweredRetransmits(Side side) {
        return endpoint(side).unansweredRetransmits;
    }

    /** Retransmissions the reset side had sent unanswered when the first RST came (0 without a reset). */
    public int unansweredRetransmitsBeforeReset() {
        return unansweredBeforeReset;
    }

    /** Segments with data the side sent after its peer had reset the connection. */
    public int dataAfterPeerReset(Side side) {
        return endpoint(side).dataAfterPeerReset;
    }

    /** The originator was sent a SYN-ACK whose ACK covers something it never sent (RFC 793 figure 9). */
    public boolean synAckWithWrongAck() {
        return synAckWithWrongAck;
    }

    /** When the side entered TIME-WAIT, if it ever did (also after its 2×MSL ran out). */
    public OptionalLong timeWaitEntered(Side side) {
        long since = endpoint(side).timeWaitSince;
        return since == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(since);
    }

    /** Segments that carried only sequence space the side had already sent. */
    public int retransmits(Side side) {
        return endpoint(side).retransmits;
    }

    /** When the side entered TIME-WAIT, if it is in it now. */
    public OptionalLong timeWaitSince(Side side) {
        Endpoint endpoint = endpoint(side);
        return endpoint.state() == TcpState.TIME_WAIT ? OptionalLong.of(endpoint.timeWaitSince) : OptionalLong.empty();
    }
}
