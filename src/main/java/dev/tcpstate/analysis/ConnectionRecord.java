package dev.tcpstate.analysis;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One connection as {@code tcpstate connections} reports it: Zeek's conn.log fields (names as in
 * DESIGN.md section 6) and tcpstate's own. Durations and sizes are absent when Zeek leaves them
 * unset (a record whose duration is zero). {@code continuesUid} names the record whose unanswered
 * SYN this one repeats, when Zeek's attempt timer split one attempt into several records.
 */
public record ConnectionRecord(long tsNanos, String uid, String originatorAddress, int originatorPort,
        String responderAddress, int responderPort, OptionalLong durationNanos, OptionalLong originatorBytes,
        OptionalLong responderBytes, String connState, long missedBytes, String history, long originatorPackets,
        long originatorIpBytes, long responderPackets, long responderIpBytes, String outcome, String originatorState,
        String responderState, int synRetries, OptionalLong handshakeRttNanos, long retransmits, boolean timeWaitAtEnd,
        boolean reusedTimeWait, boolean midstream, Optional<String> continuesUid) {
}
