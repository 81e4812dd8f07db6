package dev.tcpstate.flow;

import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.state.ZeekConnection;
import dev.tcpstate.state.ZeekState;
import java.util.Set;

/**
 * Zeek's policy for where one conn.log record of a four-tuple ends and the next begins
 * (docs/zeek-conn-semantics.md sections 1, 4, 5 and 7): who originates a connection seen without
 * its SYN ({@code likely_server_ports}), when a SYN reuses a four-tuple ({@code IsReuse}), and the
 * timers that end a record (attempt 5 s, delete 5 s after a complete close, expire, inactivity
 * 60 s in the handshake and 5 min after). The {@link ConnectionTracker} follows this policy; it is
 * one policy among the engine's concepts, not the engine.
 */
public final class ZeekRules {
    private static final long SECOND = 1_000_000_000L;
    private static final long CLOSE_DELAY = 5 * SECOND;
    private static final long SYN_TIMEOUT = 5 * SECOND;
    private static final long SESSION_TIMER = 6 * SECOND;
    private static final long LINGER = 5 * SECOND;
    private static final long HANDSHAKE_INACTIVITY = 60 * SECOND;

    /**
     * Zeek's timeouts that users tune: {@code tcp_attempt_delay} (an attempt nobody answered ends
     * after it, default 5 s) and {@code tcp_inactivity_timeout} (an idle connection ends after
     * it, default 5 min).
     */
    public record Timeouts(long attemptNanos, long inactivityNanos) {
        public static final Timeouts ZEEK_DEFAULTS = new Timeouts(5 * SECOND, 300 * SECOND);

        public Timeouts {
            if (attemptNanos <= 0 || inactivityNanos <= 0) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    /** {@code likely_server_ports} by port number: asked once per new record, so no boxing or hashing. */
    private final java.util.BitSet likelyServerPorts = new java.util.BitSet(65_536);
    private final Timeouts timeouts;

    /**
     * The rules for these server ports and timeouts. Immutable: trackers may share one (the Flink
     * job's tracker per four-tuple would otherwise hold 8 KiB of port bits each).
     */
    public ZeekRules(Set<Integer> likelyServerPorts, Timeouts timeouts) {
        likelyServerPorts.forEach(this.likelyServerPorts::set);
        this.timeouts = timeouts;
    }

    /**
     * Whether Zeek makes the receiver of a record's first packet its originator: a packet other
     * than a pure SYN from a likely server port (from the lower one, when both are).
     */
    boolean flippedAtCreation(TcpSegment first) {
        int flags = first.flags();
        boolean pureSyn = (flags & (TcpFlags.SYN | TcpFlags.ACK)) == TcpFlags.SYN;
        if (pureSyn || !likelyServerPorts.get(first.sourcePort())) {
            return false;
        }
        return !likelyServerPorts.get(first.destinationPort())
                || (flags & TcpFlags.SYN) == 0 && first.sourcePort() < first.destinationPort();
    }

    /** A new record's first timer: it expires unless traffic moves it on. */
    void armAtCreation(Connection record, long now) {
        record.expireDue = now + SYN_TIMEOUT;
    }

    /** Zeek's {@code TCPSessionAdapter::IsReuse} (section 5.1): the SYN starts a new record. */
    static boolean isReuse(Connection record, TcpSegment segment) {
        int flags = segment.flags();
        if ((flags & TcpFlags.SYN) == 0) {
            return false;
        }
        ZeekConnection zeek = record.zeek();
        boolean connOrig = true;
        if ((flags & TcpFlags.ACK) != 0) {
            if (zeek.state(true) != ZeekState.INACTIVE) {
                return false;
            }
            connOrig = false;
        }
        if (!zeek.closed(true) && !zeek.closed(false)) {
            return segment.sequence() != zeek.startSeq32(connOrig)
                    && !((flags & TcpFlags.ACK) == 0 && zeek.state(true) == ZeekState.SYN_ACK_SENT
                            && zeek.state(false) == ZeekState.INACTIVE && segment.sequence() == zeek.startSeq32(false));
        }
        return true;
    }

    /**
     * Arms the timers a packet starts: the attempt timer at the originator's first SYN, and after
     * a close the delete timer (both sides done) or the expire timer (one side).
     */
    void armAfterPacket(Connection record, TcpSegment segment, boolean fromOriginator, ZeekState originatorBefore,
            boolean closedOrigBefore, boolean closedRespBefore, long now) {
        ZeekConnection zeek = record.zeek();
        int flags = segment.flags();
        if (fromOriginator && originatorBefore == ZeekState.INACTIVE && (flags & TcpFlags.SYN) != 0) {
            record.attemptDue = now + timeouts.attemptNanos();
        }
        boolean closedNow = (zeek.closed(true) && !closedOrigBefore) || (zeek.closed(false) && !closedRespBefore);
        if (closedNow) {
            boolean senderOrig = zeek.closed(true) && !closedOrigBefore;
            ZeekState sender = zeek.state(senderOrig);
            boolean complete = sender == ZeekState.RESET || zeek.closed(!senderOrig)
                    || zeek.state(!senderOrig) == ZeekState.INACTIVE;
            if (complete) {
                record.attemptDue = Long.MAX_VALUE;
                record.deleteDue = zeek.lastNanos() + CLOSE_DELAY;
            } else {
                record.expireDue = zeek.lastNanos() + SESSION_TIMER;
            }
        }
    }

    private long inactivityDue(Connection record) {
        long timeout = record.handshakeOnly() && !record.zeek().leftHandshake()
                ? Math.min(HANDSHAKE_INACTIVITY, timeouts.inactivityNanos()) : timeouts.inactivityNanos();
        return record.zeek().lastNanos() + timeout;
    }

    /** When the record's first timer is due. */
    long nextDue(Connection record) {
        return Math.min(Math.min(record.attemptDue, record.deleteDue), Math.min(record.expireDue, inactivityDue(record)));
    }

    /** Whether the record's due timers end it at {@code now}; re-arms the ones that do not. */
    boolean expire(Connection record, long now) {
        ZeekConnection zeek = record.zeek();
        if (record.deleteDue <= now) {
            return true;
        }
        if (record.attemptDue <= now) {
            record.attemptDue = Long.MAX_VALUE;
            ZeekState orig = zeek.state(true);
            if ((orig == ZeekState.SYN_SENT || orig == ZeekState.SYN_ACK_SENT) && zeek.state(false) == ZeekState.INACTIVE) {
                record.endedByAttemptTimer = true;
                return true;
            }
        }
        if (record.expireDue <= now) {
            record.expireDue = now + SESSION_TIMER;
            boolean origClosed = zeek.closed(true);
            boolean respClosed = zeek.closed(false);
            boolean anyReset = zeek.state(true) == ZeekState.RESET || zeek.state(false) == ZeekState.RESET;
            boolean anyInactive = zeek.state(true) == ZeekState.INACTIVE || zeek.state(false) == ZeekState.INACTIVE;
            boolean bothInactive = zeek.state(true) == ZeekState.INACTIVE && zeek.state(false) == ZeekState.INACTIVE;
            if (zeek.lastNanos() + LINGER < now && (((origClosed || respClosed)
                    && ((origClosed && respClosed) || anyReset || anyInactive)) || bothInactive)) {
                return true;
            }
        }
        return inactivityDue(record) <= now;
    }
}
