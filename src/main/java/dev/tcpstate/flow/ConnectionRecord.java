package dev.tcpstate.flow;

import dev.tcpstate.state.ConnectionMachine;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.state.Side;
import dev.tcpstate.state.TcpState;
import dev.tcpstate.state.ZeekConnection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One finished connection record, immutable: Zeek's conn.log fields (names as in DESIGN.md
 * section 6), tcpstate's RFC 793 view, and the facts the detectors need. Durations and sizes are
 * absent when Zeek leaves them unset (a record whose duration is zero).
 *
 * @param continuesUid the record whose unanswered SYN this one repeats (Zeek's attempt timer split the attempt)
 * @param continuedLater a later record repeats this one's unanswered SYN: the attempt went on there
 * @param attemptStartNanos when the attempt began: {@code tsNanos}, or the first record's when it continues one
 * @param unansweredRetransmits retransmissions each side sent since its peer last spoke, at the end
 * @param dataAfterPeerReset segments with data sent by the side that had been reset
 * @param findings ids of the findings this connection is part of (empty until detection ran)
 */
public record ConnectionRecord(long tsNanos, String uid, String originatorAddress, int originatorPort,
        String responderAddress, int responderPort, OptionalLong durationNanos, OptionalLong originatorBytes,
        OptionalLong responderBytes, String connState, long missedBytes, String history, long originatorPackets,
        long originatorIpBytes, long responderPackets, long responderIpBytes, Outcome outcome,
        TcpState originatorState, TcpState responderState, int synRetries, OptionalLong handshakeRttNanos,
        long retransmits, boolean timeWaitAtEnd, boolean reusedTimeWait, boolean midstream,
        Optional<String> continuesUid, boolean continuedLater, long attemptStartNanos, long endNanos,
        int synAckRetries, boolean synAckWithWrongAck, Optional<Side> resetBy, int originatorUnansweredRetransmits,
        int responderUnansweredRetransmits, int dataAfterPeerReset, OptionalLong originatorTimeWaitNanos,
        OptionalLong responderTimeWaitNanos, List<String> findings) {

    public ConnectionRecord {
        findings = List.copyOf(findings);
    }

    /**
     * The record as it stands at the end of the capture ({@code endNanos}): a TIME-WAIT that has
     * run its {@code timeWaitNanos} by then has closed, and whether a later record continues it.
     * Records are frozen when Zeek logs them, so this is all the end changes.
     */
    public ConnectionRecord atEnd(long endNanos, long timeWaitNanos, boolean continued) {
        TcpState a = expired(originatorState, originatorTimeWaitNanos, endNanos, timeWaitNanos);
        TcpState b = expired(responderState, responderTimeWaitNanos, endNanos, timeWaitNanos);
        boolean timeWait = a == TcpState.TIME_WAIT || b == TcpState.TIME_WAIT;
        if (a == originatorState && b == responderState && timeWait == timeWaitAtEnd && continued == continuedLater) {
            return this; // nothing the end of the capture changes
        }
        return new ConnectionRecord(tsNanos, uid, originatorAddress, originatorPort, responderAddress, responderPort,
                durationNanos, originatorBytes, responderBytes, connState, missedBytes, history, originatorPackets,
                originatorIpBytes, responderPackets, responderIpBytes, outcome, a, b, synRetries, handshakeRttNanos,
                retransmits, a == TcpState.TIME_WAIT || b == TcpState.TIME_WAIT, reusedTimeWait, midstream, continuesUid,
                continued, attemptStartNanos, endNanos(), synAckRetries, synAckWithWrongAck, resetBy,
                originatorUnansweredRetransmits, responderUnansweredRetransmits, dataAfterPeerReset,
                originatorTimeWaitNanos, responderTimeWaitNanos, findings);
    }

    /** The machine's rule: TIME-WAIT ends once 2×MSL has passed since it began. */
    private static TcpState expired(TcpState state, OptionalLong since, long endNanos, long timeWaitNanos) {
        return state == TcpState.TIME_WAIT && since.isPresent() && endNanos - since.getAsLong() >= timeWaitNanos
                ? TcpState.CLOSED : state;
    }

    /** The same record, naming the ids of the findings it is part of. */
    public ConnectionRecord withFindings(List<String> ids) {
        return new ConnectionRecord(tsNanos, uid, originatorAddress, originatorPort, responderAddress, responderPort,
                durationNanos, originatorBytes, responderBytes, connState, missedBytes, history, originatorPackets,
                originatorIpBytes, responderPackets, responderIpBytes, outcome, originatorState, responderState,
                synRetries, handshakeRttNanos, retransmits, timeWaitAtEnd, reusedTimeWait, midstream, continuesUid,
                continuedLater, attemptStartNanos, endNanos, synAckRetries, synAckWithWrongAck, resetBy,
                originatorUnansweredRetransmits, responderUnansweredRetransmits, dataAfterPeerReset,
                originatorTimeWaitNanos, responderTimeWaitNanos, ids);
    }

    /** The uid of the record with this id. */
    public static String uid(long id) {
        return "C" + Long.toString(id, 36);
    }

    /**
     * The finished record of {@code record}, whose machine has been finished at the end of the
     * capture.
     */
    public static ConnectionRecord of(ZeekRecord record, boolean continuedLater, long attemptStartNanos) {
        ZeekConnection zeek = record.zeek();
        ConnectionMachine machine = record.machine();
        long duration = zeek.lastNanos() - zeek.startNanos();
        boolean timed = duration > 0;
        FourTuple tuple = record.tuple();
        Side o = record.machineSide(Side.ORIGINATOR);
        Side r = record.machineSide(Side.RESPONDER);
        return new ConnectionRecord(zeek.startNanos(), uid(record.id()),
                tuple.originatorAddress(), tuple.originatorPort(), tuple.responderAddress(), tuple.responderPort(),
                timed ? OptionalLong.of(duration) : OptionalLong.empty(),
                timed ? OptionalLong.of(zeek.size(true)) : OptionalLong.empty(),
                timed ? OptionalLong.of(zeek.size(false)) : OptionalLong.empty(), zeek.connState(), zeek.missedBytes(),
                zeek.history(), zeek.packets(true), zeek.ipBytes(true), zeek.packets(false), zeek.ipBytes(false),
                Outcome.classify(machine, record.midstream()), machine.state(o), machine.state(r),
                record.synRetries(), machine.handshakeRttNanos(),
                machine.retransmits(o) + machine.retransmits(r),
                machine.timeWaitSince(o).isPresent() || machine.timeWaitSince(r).isPresent(),
                record.reusedInTimeWait(), record.midstream(),
                record.continuesId().isPresent() ? Optional.of(uid(record.continuesId().getAsLong())) : Optional.empty(),
                continuedLater, attemptStartNanos, zeek.lastNanos(), machine.synRetransmits(r),
                machine.synAckWithWrongAck(), machine.resetBy().map(side -> side == o ? Side.ORIGINATOR : Side.RESPONDER),
                machine.unansweredRetransmits(o), machine.unansweredRetransmits(r),
                machine.dataAfterPeerReset(o) + machine.dataAfterPeerReset(r),
                machine.timeWaitEntered(o), machine.timeWaitEntered(r), List.of());
    }

    /** The responder as {@code ip:port} ({@code [v6]:port}): the service a connection asked for. */
    public String service() {
        return endpoint(responderAddress, responderPort);
    }

    /** {@code ip:port}, IPv6 in brackets. */
    public static String endpoint(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
