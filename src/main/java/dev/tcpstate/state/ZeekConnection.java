package dev.tcpstate.state;

import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import java.util.regex.Pattern;

/**
 * One Zeek conn.log record's TCP view, computed as Zeek computes it: Zeek's endpoint states, the
 * {@code history} string with its letters and repeat rules, sequence-based sizes, and
 * {@code conn_state}. The rules, with their sources in Zeek, are in docs/zeek-conn-semantics.md
 * (section numbers below refer to it). Which packets form one record (reuse, timers, role
 * flips at creation) is decided by the caller; this class handles one record's packets.
 */
public final class ZeekConnection {
    private static final Pattern RSTOS0_HISTORY = Pattern.compile("\\^?S[^HAFGIQ]*R.*");
    private static final int HIST_SYN = 0x1;
    private static final int HIST_FIN = 0x2;
    private static final int HIST_RST = 0x4;
    private static final int HIST_FIN_RST = 0x8;
    private static final int HIST_DATA = 0x10;
    private static final int HIST_ACK = 0x20;
    private static final int HIST_MULTI_FLAG = 0x40;
    private static final long ONE_MB = 1_048_576L;

    /**
     * Zeek repeats a history letter at the 1st, 10th, 100th... occurrence ({@code
     * ScaledHistoryEntry}, scaled by 10): whether {@code count} is one of those.
     */
    private static boolean powerOfTen(long count) {
        long power = 1;
        while (power < count && power <= Long.MAX_VALUE / 10) {
            power *= 10;
        }
        return power == count;
    }

    private static final ZeekState[] ZEEK_STATES = ZeekState.values();

    /** One side as Zeek's {@code TCP_Endpoint} sees it; sequence numbers widened to 64 bits. */
    private static final class Endpoint {
        boolean originator;
        // states as numbers: the tracker reuses endpoints, and a reference written into a
        // long-lived object costs the garbage collector a card to refine, per state change
        byte state;
        byte previous;
        long startSeq;
        long lastSeq;
        long ackSeq;
        int finCount;
        long finSeq;
        boolean didClose;
        long lastSynKey;
        long lastFinKey;
        long lastRstKey;
        int retransmits; // only ever compared with powers of ten: an int is plenty
        int zeroWindows;
        int checksumErrors;
        /** Next byte the reassembler expects from this side; blocks that arrived beyond it. */
        long reassemblyNext;
        /** Blocks that arrived beyond {@code reassemblyNext}; null while there are none (nearly always). */
        SequenceBlocks outOfOrder;
        int gaps;
        long missedBytes;
        long packets;
        long ipBytes;

        Endpoint(boolean originator) {
            this.originator = originator;
            clear();
        }

        /** Back to a new record's endpoint: every field but which side it is. */
        void clear() {
            state = (byte) ZeekState.INACTIVE.ordinal();
            previous = state;
            startSeq = 0;
            lastSeq = 0;
            ackSeq = 0;
            finCount = 0;
            finSeq = 0;
            didClose = false;
            lastSynKey = 0;
            lastFinKey = 0;
            lastRstKey = 0;
            retransmits = 0;
            zeroWindows = 0;
            checksumErrors = 0;
            reassemblyNext = 0;
            outOfOrder = null;
            gaps = 0;
            missedBytes = 0;
            packets = 0;
            ipBytes = 0;
        }

        ZeekState state() {
            return ZEEK_STATES[state];
        }

        ZeekState previous() {
            return ZEEK_STATES[previous];
        }

        void set(ZeekState next) {
            if (next.ordinal() != state) {
                previous = state;
                state = (byte) next.ordinal();
            }
        }

        /** Widens a 32-bit sequence number to the 64-bit value nearest {@code near}. */
        long widen(int seq, long near) {
            return near + (int) (seq - (int) near);
        }
    }

    private Endpoint originator = new Endpoint(true);
    private Endpoint responder = new Endpoint(false);
    private Endpoint firstOriginator = originator;
    private Endpoint firstResponder = responder;
    /** The history's letters (ASCII); a bare array, as a builder object per connection adds up under floods. */
    private byte[] history = new byte[8];
    private int historyLength;
    private int historySeen;
    private int flips;
    private boolean leftHandshake;
    private long startNanos;
    private long lastNanos;

    /**
     * @param startNanos time of the packet that created the record
     * @param flipped whether Zeek's creation rule flipped the roles (history starts with {@code ^})
     */
    public ZeekConnection(long startNanos, boolean flipped) {
        start(startNanos, flipped);
    }

    /**
     * Makes this a new record, as the constructor does: the tracker reuses the objects of ended
     * records (a flood would otherwise allocate them millions of times).
     */
    public void start(long startNanos, boolean flipped) {
        originator = firstOriginator; // a flip may have swapped them
        responder = firstResponder;
        originator.originator = true;
        responder.originator = false;
        originator.clear();
        responder.clear();
        historyLength = 0;
        historySeen = 0;
        flips = 0;
        leftHandshake = false;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
        if (flipped) {
            addHistory('^');
        }
    }

    /** A packet whose TCP checksum is wrong under {@code --checksums validate}: only {@code C}/{@code c} (§7). */
    public void badChecksum(boolean fromOriginator) {
        Endpoint endpoint = fromOriginator ? originator : responder;
        if (powerOfTen(++endpoint.checksumErrors)) {
            addHistory(letter('C', fromOriginator));
        }
    }

    /** One packet of this record through Zeek's {@code TCPSessionAdapter::Process} (§1 step 9). */
    public void packet(boolean fromOriginator, TcpSegment segment) {
        Endpoint endpoint = fromOriginator ? originator : responder;
        Endpoint peer = fromOriginator ? responder : originator;
        int flags = segment.flags();
        boolean syn = (flags & TcpFlags.SYN) != 0;
        boolean fin = (flags & TcpFlags.FIN) != 0;
        boolean rst = (flags & TcpFlags.RST) != 0;
        boolean ack = (flags & TcpFlags.ACK) != 0;
        int len = segment.payloadLength();
        int segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0) - (rst ? len : 0);

        initEndpoint(endpoint, syn, segment.sequence(), segLen);
        long baseSeq = endpoint.widen(segment.sequence(), endpoint.lastSeq);
        long relSeq = baseSeq - endpoint.startSeq;
        updateHistory(endpoint, syn, fin, rst, ack, len, relSeq);
        if (segment.window() == 0 && !rst && peer.state() != ZeekState.CLOSED && endpoint.state() != ZeekState.RESET
                && powerOfTen(++endpoint.zeroWindows)) {
            addHistory(letter('W', fromOriginator));
        }
        if (!originator.didClose || !responder.didClose) {
            lastNanos = segment.timestampNanos();
        }
        if (fin) {
            endpoint.finCount++;
            endpoint.finSeq = relSeq + segLen;
        }
        if (ack) {
            if (peer.state() == ZeekState.INACTIVE) {
                long start = peer.widen(segment.acknowledgement() - 1, peer.lastSeq);
                reinit(peer, start, start, start);
            } else if (!rst) {
                long acked = peer.widen(segment.acknowledgement(), peer.ackSeq);
                if (acked > peer.ackSeq && !(segment.acknowledgement() == 0 && acked - peer.ackSeq > ONE_MB)) {
                    peer.ackSeq = acked;
                }
            }
        }
        updateLastSeq(endpoint, baseSeq + segLen, syn, fin, rst, len, fromOriginator);
        boolean handshakeBefore = handshake(originator.state()) && handshake(responder.state());
        boolean close = updateStateMachine(endpoint, peer, fromOriginator, syn, fin, rst, ack, len, baseSeq);
        if (handshakeBefore && !(handshake(originator.state()) && handshake(responder.state()))) {
            leftHandshake = true;
        }
        if (close) {
            endpoint.didClose = true;
        }
        // §1 steps 9k and 9l: the ACK may reveal the peer's data that never arrived, then this
        // packet's own data reaches the reassembler (only when it was captured whole).
        if (ack && peer.state() != ZeekState.INACTIVE) {
            ackReceived(peer, endpoint, peer.widen(segment.acknowledgement(), peer.reassemblyNext));
        }
        if (len > 0 && !rst && segment.payloadCaptured() == len && relSeq >= 0) {
            deliver(endpoint, baseSeq + (syn ? 1 : 0), len);
        }
        endpoint.packets++;
        endpoint.ipBytes += segment.ipLength();
    }

    /** §2.3: sequence bookkeeping when an endpoint's first packet or a new SYN arrives. */
    private static void initEndpoint(Endpoint endpoint, boolean syn, int seq, int segLen) {
        long base = endpoint.widen(seq, endpoint.lastSeq);
        switch (endpoint.state()) {
            case INACTIVE -> {
                if (syn) {
                    reinit(endpoint, base, base, base + segLen);
                } else {
                    reinit(endpoint, base - 1, base - 1, base);
                }
            }
            case SYN_SENT, SYN_ACK_SENT -> {
                if (syn && base != endpoint.startSeq) {
                    reinit(endpoint, base, base, base + segLen);
                }
            }
            case ESTABLISHED, PARTIAL -> {
                if (syn) {
                    // SYN_inside_connection: Zeek guesses this SYN sets the connection up and
                    // resets the endpoint's numbers, but its reassembler keeps what it has seen
                    endpoint.startSeq = base;
                    endpoint.ackSeq = base;
                    endpoint.lastSeq = base + segLen;
                }
            }
            case RESET -> {
                if (syn && endpoint.previous() == ZeekState.INACTIVE) {
                    reinit(endpoint, base, base, base + segLen);
                }
            }
            default -> {
                // CLOSED: nothing
            }
        }
    }

    private static void reinit(Endpoint endpoint, long start, long acked, long last) {
        endpoint.startSeq = start;
        endpoint.ackSeq = acked;
        endpoint.lastSeq = last;
        endpoint.reassemblyNext = start + 1;
        endpoint.outOfOrder = null;
    }

    /** §3.2: the flag and payload letters. */
    private void updateHistory(Endpoint endpoint, boolean syn, boolean fin, boolean rst, boolean ack, int len,
            long relSeq) {
        boolean orig = endpoint.originator;
        int bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        if (bits > 1) {
            if (fin && rst) {
                checkHistory(HIST_FIN_RST, 'I', orig);
            } else {
                checkHistory(HIST_MULTI_FLAG, 'Q', orig);
            }
        } else if (syn) {
            if (checkHistory(HIST_SYN, ack ? 'H' : 'S', orig) && relSeq != endpoint.lastSynKey) {
                addHistory(letter(ack ? 'H' : 'S', orig));
            }
            endpoint.lastSynKey = relSeq;
        } else if (fin) {
            long key = relSeq + len;
            if (checkHistory(HIST_FIN, 'F', orig) && key != endpoint.lastFinKey) {
                addHistory(letter('F', orig));
            }
            endpoint.lastFinKey = key;
        } else if (rst) {
            if (checkHistory(HIST_RST, 'R', orig) && relSeq != endpoint.lastRstKey) {
                addHistory(letter('R', orig));
            }
            endpoint.lastRstKey = relSeq;
        } else if (len > 0 || ack) {
            if (historyLength == 1 && history[0] == 'H') {
                // Zeek's TCP_Endpoint::CheckHistory: a record that began with a SYN-ACK (not
                // flipped by the ports, as a stealth scan's would not be) now carries an ACK or
                // data, which a scan would not draw: the roles flip, and the history becomes
                // "^h", as if the SYN had been seen
                flipAfterSynAck();
                orig = endpoint.originator;
            }
            if (len > 0) {
                checkHistory(HIST_DATA, 'D', orig);
            } else {
                checkHistory(HIST_ACK, 'A', orig);
            }
        }
    }

    /** The flip above: the endpoints swap and the history "H" becomes "^h" ({@code hist_seen} stays, as in Zeek). */
    private void flipAfterSynAck() {
        swapRoles();
        history[0] = '^';
        history[1] = 'h'; // the array holds 8 letters at least
        historyLength = 2;
    }

    /** Data of {@code endpoint} at absolute {@code seq} reached the reassembler. */
    private static void deliver(Endpoint endpoint, long seq, int len) {
        long end = seq + len;
        if (seq > endpoint.reassemblyNext) {
            if (endpoint.outOfOrder == null) {
                endpoint.outOfOrder = new SequenceBlocks();
            }
            endpoint.outOfOrder.add(seq, end);
            return;
        }
        endpoint.reassemblyNext = Math.max(endpoint.reassemblyNext, end);
        drainOutOfOrder(endpoint);
    }

    private static void drainOutOfOrder(Endpoint endpoint) {
        if (endpoint.outOfOrder == null) {
            return;
        }
        endpoint.reassemblyNext = endpoint.outOfOrder.drain(endpoint.reassemblyNext);
        if (endpoint.outOfOrder.isEmpty()) {
            endpoint.outOfOrder = null;
        }
    }

    /**
     * §3.3: the peer acknowledged {@code endpoint}'s data up to {@code acked}; what never reached
     * the reassembler below it is a content gap ({@code G}/{@code g}, {@code missed_bytes}).
     */
    private void ackReceived(Endpoint endpoint, Endpoint peer, long acked) {
        if (endpoint.finCount > 0 && acked >= endpoint.startSeq + endpoint.finSeq) {
            acked = endpoint.startSeq + endpoint.finSeq - 1;
        }
        if (acked <= endpoint.reassemblyNext) {
            return;
        }
        boolean partial = originator.state() == ZeekState.PARTIAL || responder.state() == ZeekState.PARTIAL;
        if (!(acked - endpoint.startSeq <= 2 && partial)) {
            long missing = missingBelow(endpoint, acked);
            if (missing > 0 && cleanly(endpoint) && cleanly(peer)) {
                endpoint.missedBytes += missing;
                if (powerOfTen(++endpoint.gaps)) {
                    addHistory(letter('G', endpoint.originator));
                }
            }
        }
        endpoint.reassemblyNext = acked;
        drainOutOfOrder(endpoint);
    }

    /** Bytes between the reassembler's next byte and {@code acked} that no block covers. */
    private static long missingBelow(Endpoint endpoint, long acked) {
        if (endpoint.outOfOrder == null) {
            return Math.max(0, acked - endpoint.reassemblyNext); // the common case: no blocks
        }
        return endpoint.outOfOrder.missing(endpoint.reassemblyNext, acked);
    }

    /** Zeek's {@code established_or_cleanly_closing} for one endpoint. */
    private static boolean cleanly(Endpoint endpoint) {
        return endpoint.state() == ZeekState.ESTABLISHED
                || (endpoint.state() == ZeekState.CLOSED && endpoint.previous() == ZeekState.ESTABLISHED);
    }

    /** Bytes Zeek reports as {@code missed_bytes}: content gaps in both directions. */
    public long missedBytes() {
        return originator.missedBytes + responder.missedBytes;
    }

    /** §2.3 {@code update_last_seq}: may mark a retransmission ({@code T}/{@code t}). */
    private void updateLastSeq(Endpoint endpoint, long onePast, boolean syn, boolean fin, boolean rst, int len,
            boolean orig) {
        long delta = onePast - endpoint.lastSeq;
        if ((syn || rst) && Math.abs(delta) > ONE_MB) {
            return;
        }
        if (fin && endpoint.lastSeq == endpoint.startSeq + 1) {
            endpoint.lastSeq = onePast;
        } else if (endpoint.state() == ZeekState.RESET) {
            return;
        } else if (delta > 0) {
            endpoint.lastSeq = onePast;
        } else if (len > 0 && powerOfTen(++endpoint.retransmits)) {
            addHistory(letter('T', orig));
        }
    }

    /**
     * §2.1/§2.2: Zeek's state machine, chosen by the sender's state before this packet. Returns
     * whether the packet closes the sender's side ({@code do_close}).
     */
    private boolean updateStateMachine(Endpoint endpoint, Endpoint peer, boolean orig, boolean syn, boolean fin,
            boolean rst, boolean ack, int len, long baseSeq) {
        boolean close = false;
        switch (endpoint.state()) {
            case INACTIVE -> {
                if (syn) {
                    if (orig) {
                        endpoint.set(ack ? ZeekState.SYN_ACK_SENT : ZeekState.SYN_SENT);
                    } else {
                        if (!ack && peer.state() == ZeekState.SYN_ACK_SENT) {
                            // §4.2 SYN/SYN-ACK reversal: the roles flip
                            flip();
                            Endpoint swapped = endpoint;
                            endpoint = peer;
                            peer = swapped;
                            peer.set(ZeekState.ESTABLISHED);
                        } else if (peer.state() == ZeekState.SYN_SENT) {
                            peer.set(ZeekState.ESTABLISHED);
                        }
                        endpoint.set(ZeekState.ESTABLISHED);
                    }
                }
                close |= closeOrReset(endpoint, fin, rst);
                if (!syn && !fin && !rst) {
                    if (!orig && len == 0 && peer.state() == ZeekState.SYN_SENT) {
                        // a responder that acks the SYN before its SYN-ACK stays INACTIVE
                    } else if (ack && peer.state() == ZeekState.ESTABLISHED) {
                        endpoint.set(ZeekState.ESTABLISHED);
                    } else {
                        endpoint.set(ZeekState.PARTIAL);
                    }
                }
            }
            case SYN_SENT, SYN_ACK_SENT -> {
                close |= closeOrReset(endpoint, fin, rst);
            }
            case ESTABLISHED, PARTIAL -> {
                if (syn && endpoint.state() == ZeekState.PARTIAL && peer.state() == ZeekState.INACTIVE && !ack) {
                    endpoint.set(ZeekState.SYN_SENT);
                }
                if (fin && !rst) {
                    endpoint.set(ZeekState.CLOSED);
                    close = true;
                    if (peer.state() == ZeekState.RESET && peer.previous() == ZeekState.CLOSED) {
                        peer.set(ZeekState.CLOSED);
                    }
                }
                if (rst) {
                    endpoint.set(ZeekState.RESET);
                    close = true;
                }
            }
            case CLOSED -> {
                if (rst && peer.state() != ZeekState.CLOSED) {
                    endpoint.set(ZeekState.RESET);
                    close = !endpoint.didClose;
                }
            }
            default -> {
                // RESET: nothing changes it
            }
        }
        return close;
    }

    private static boolean handshake(ZeekState state) {
        return state == ZeekState.INACTIVE || state == ZeekState.SYN_SENT || state == ZeekState.SYN_ACK_SENT;
    }

    /** A FIN closes the sender, a RST (checked after it, so it wins) resets it; true if either came. */
    private static boolean closeOrReset(Endpoint endpoint, boolean fin, boolean rst) {
        if (fin) {
            endpoint.set(ZeekState.CLOSED);
        }
        if (rst) {
            endpoint.set(ZeekState.RESET);
        }
        return fin || rst;
    }

    /** Zeek's {@code FlipRoles}: the endpoints swap, and {@code ^} joins the history. */
    private void flip() {
        swapRoles();
        addHistory('^');
    }

    private void swapRoles() {
        Endpoint former = originator;
        originator = responder;
        responder = former;
        originator.originator = true;
        responder.originator = false;
        flips++;
    }

    /** How often the roles flipped inside the record (the caller must then swap who is who). */
    public int flips() {
        return flips;
    }

    /** Zeek's {@code CheckHistory}: the letter once per direction; true if it was seen before. */
    private boolean checkHistory(int mask, char code, boolean orig) {
        int bit = orig ? mask : mask << 16;
        if ((historySeen & bit) != 0) {
            return true;
        }
        historySeen |= bit;
        addHistory(letter(code, orig));
        return false;
    }

    private static char letter(char code, boolean orig) {
        return orig ? code : Character.toLowerCase(code);
    }

    private void addHistory(char code) {
        if (historyLength == history.length) {
            history = java.util.Arrays.copyOf(history, history.length * 2);
        }
        history[historyLength++] = (byte) code;
    }

    /** Zeek's {@code history} ("-" when empty, as conn.log writes it). */
    public String history() {
        if (historyLength > SHORT_LETTERS) {
            return new String(history, 0, historyLength, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        long code = 0; // letters are 7-bit and never 0, so the code also tells the length
        for (int i = 0; i < historyLength; i++) {
            code = code << 7 | history[i];
        }
        int slot = (int) ((code * 0x9E37_79B9_7F4A_7C15L) >>> (64 - 12));
        ShortHistory known = SHORT_HISTORIES[slot];
        if (known != null && known.code == code) {
            return known.text;
        }
        String text = new String(history, 0, historyLength, java.nio.charset.StandardCharsets.ISO_8859_1);
        SHORT_HISTORIES[slot] = new ShortHistory(code, text); // immutable: safe to share between threads
        return text;
    }

    /**
     * Histories of up to nine letters by their letters packed 7 bits each: a flood's millions of
     * records have a handful of histories, so each is made once, not once per record.
     */
    private record ShortHistory(long code, String text) {
    }

    private static final int SHORT_LETTERS = 9;
    private static final ShortHistory[] SHORT_HISTORIES = new ShortHistory[1 << 12];

    public ZeekState state(boolean originatorSide) {
        return (originatorSide ? originator : responder).state();
    }

    /** The side's start sequence number as a 32-bit TCP number (Zeek's {@code StartSeq()}). */
    public int startSeq32(boolean originatorSide) {
        return (int) (originatorSide ? originator : responder).startSeq;
    }

    /**
     * Whether an endpoint ever left the handshake states while both were in them: Zeek then
     * raises the inactivity timeout from 60 s to 5 min.
     */
    public boolean leftHandshake() {
        return leftHandshake;
    }

    /** Whether a side has closed ({@code did_close}): a FIN or RST ended it. */
    public boolean closed(boolean originatorSide) {
        return (originatorSide ? originator : responder).didClose;
    }

    /** Payload bytes by sequence numbers, as Zeek's {@code TCP_Endpoint::Size} (§8). */
    public long size(boolean originatorSide) {
        Endpoint endpoint = originatorSide ? originator : responder;
        Endpoint peer = originatorSide ? responder : originator;
        if (endpoint.previous() == ZeekState.SYN_SENT && endpoint.state() == ZeekState.RESET
                && peer.state() == ZeekState.INACTIVE && !(endpoint.ackSeq == endpoint.startSeq
                        || endpoint.ackSeq == endpoint.startSeq + 1)) {
            return 0;
        }
        long size = Math.max(endpoint.lastSeq, endpoint.ackSeq) - endpoint.startSeq;
        if (size != 0) {
            size--;
        }
        if (endpoint.finCount > 0 && size != 0) {
            size--;
        }
        return Math.max(size, 0);
    }

    public long packets(boolean originatorSide) {
        return (originatorSide ? originator : responder).packets;
    }

    public long ipBytes(boolean originatorSide) {
        return (originatorSide ? originator : responder).ipBytes;
    }

    public long startNanos() {
        return startNanos;
    }

    /** Time of the last packet before both sides had closed (Zeek's {@code last_time}). */
    public long lastNanos() {
        return lastNanos;
    }

    /** Zeek's {@code conn_state}, the decision list of main.zeek (§10). */
    public String connState() {
        ZeekState os = originator.state();
        ZeekState rs = responder.state();
        if (rs == ZeekState.RESET) {
            if (os == ZeekState.SYN_SENT || os == ZeekState.SYN_ACK_SENT
                    || (os == ZeekState.RESET && size(true) == 0 && size(false) == 0)) {
                return "REJ";
            }
            return os.inactiveForConnState() ? "RSTRH" : "RSTR";
        }
        if (os == ZeekState.RESET) {
            if (rs.inactiveForConnState()) {
                return RSTOS0_HISTORY.matcher(history()).matches() ? "RSTOS0" : "OTH";
            }
            return "RSTO";
        }
        if (rs == ZeekState.CLOSED && os == ZeekState.CLOSED) {
            return "SF";
        }
        if (os == ZeekState.CLOSED) {
            return rs.inactiveForConnState() ? "SH" : "S2";
        }
        if (rs == ZeekState.CLOSED) {
            return os.inactiveForConnState() ? "SHR" : "S3";
        }
        if (os == ZeekState.SYN_SENT && rs == ZeekState.INACTIVE) {
            return "S0";
        }
        if (os == ZeekState.ESTABLISHED && rs == ZeekState.ESTABLISHED) {
            return "S1";
        }
        return "OTH";
    }
}
