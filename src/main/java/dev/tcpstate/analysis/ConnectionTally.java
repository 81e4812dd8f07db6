package dev.tcpstate.analysis;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.TcpState;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the connections went, counted as records end: how many, by outcome, by Zeek state, and the
 * endpoints left in TIME-WAIT at the end per host. The report's tally without the records.
 */
public final class ConnectionTally {
    private long total;
    private final long[] byOutcome = new long[dev.tcpstate.state.Outcome.values().length];
    private final long[] originatorStates = new long[TcpState.values().length];
    private final long[] responderStates = new long[TcpState.values().length];
    /** Zeek's states, as interned strings. */
    private final Map<String, long[]> byConnState = new java.util.HashMap<>();
    /** Per host (by number, named once): endpoints in TIME-WAIT at the end. */
    private final Map<Host, long[]> timeWaitAtEnd = new java.util.HashMap<>();

    private record Host(long high, long low) {
    }

    /** Payload bytes by sequence numbers (Zeek's orig_bytes + resp_bytes) and those of them the capture never showed. */
    private long payloadBytes;
    private long missedBytes;

    public void accept(ConnectionRecord record) {
        total++;
        payloadBytes += record.originatorBytes().orElse(0) + record.responderBytes().orElse(0);
        missedBytes += record.missedBytes();
        byOutcome[record.outcome().ordinal()]++;
        originatorStates[record.originatorState().ordinal()]++;
        responderStates[record.responderState().ordinal()]++;
        byConnState.computeIfAbsent(record.connState(), state -> new long[1])[0]++;
        if (record.originatorState() == TcpState.TIME_WAIT) {
            timeWaitAtEnd.computeIfAbsent(new Host(record.originatorHigh(), record.originatorLow()),
                    host -> new long[1])[0]++;
        }
        if (record.responderState() == TcpState.TIME_WAIT) {
            timeWaitAtEnd.computeIfAbsent(new Host(record.responderHigh(), record.responderLow()),
                    host -> new long[1])[0]++;
        }
    }

    /** The tally of records already at hand. */
    public static ConnectionTally of(Iterable<ConnectionRecord> records) {
        ConnectionTally tally = new ConnectionTally();
        records.forEach(tally::accept);
        return tally;
    }

    public long total() {
        return total;
    }

    /** Payload bytes the connections carried, by their sequence numbers (what was sent, seen or not). */
    public long payloadBytes() {
        return payloadBytes;
    }

    /** Of {@link #payloadBytes}, the bytes acknowledged that the capture never showed (Zeek's missed_bytes). */
    public long missedBytes() {
        return missedBytes;
    }

    /** Connections by outcome label, in label order. */
    public Map<String, Long> byOutcome() {
        Map<String, Long> named = new TreeMap<>();
        for (dev.tcpstate.state.Outcome outcome : dev.tcpstate.state.Outcome.values()) {
            if (byOutcome[outcome.ordinal()] > 0) {
                named.put(outcome.label(), byOutcome[outcome.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(named);
    }

    /** The originators' RFC 793 states at the end, by label, in state order. */
    public Map<String, Long> originatorStates() {
        return named(originatorStates);
    }

    /** The responders' RFC 793 states at the end. */
    public Map<String, Long> responderStates() {
        return named(responderStates);
    }

    private static Map<String, Long> named(long[] byState) {
        Map<String, Long> named = new java.util.LinkedHashMap<>();
        for (TcpState state : TcpState.values()) {
            if (byState[state.ordinal()] > 0) {
                named.put(state.label(), byState[state.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(named);
    }

    /** Connections by Zeek conn_state, in order. */
    public Map<String, Long> byConnState() {
        Map<String, Long> named = new TreeMap<>();
        byConnState.forEach((state, count) -> named.put(state, count[0]));
        return Collections.unmodifiableMap(named);
    }

    /** Endpoints in TIME-WAIT at the end of the capture, per host address. */
    public Map<String, Long> timeWaitAtEnd() {
        Map<String, Long> named = new TreeMap<>();
        timeWaitAtEnd.forEach((host, count) -> named.put(dev.tcpstate.decode.IpAddresses.format(host.high(), host.low()),
                count[0]));
        return Collections.unmodifiableMap(named);
    }

    public long timeWaitEndpointsAtEnd() {
        return timeWaitAtEnd.values().stream().mapToLong(count -> count[0]).sum();
    }
}
