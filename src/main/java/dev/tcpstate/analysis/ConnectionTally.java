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
    private final Map<String, Long> byOutcome = new TreeMap<>();
    private final Map<String, Long> byConnState = new TreeMap<>();
    private final Map<String, Long> timeWaitAtEnd = new TreeMap<>();

    public void accept(ConnectionRecord record) {
        total++;
        byOutcome.merge(record.outcome().label(), 1L, Long::sum);
        byConnState.merge(record.connState(), 1L, Long::sum);
        if (record.originatorState() == TcpState.TIME_WAIT) {
            timeWaitAtEnd.merge(record.originatorAddress(), 1L, Long::sum);
        }
        if (record.responderState() == TcpState.TIME_WAIT) {
            timeWaitAtEnd.merge(record.responderAddress(), 1L, Long::sum);
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

    /** Connections by outcome label, in label order. */
    public Map<String, Long> byOutcome() {
        return Collections.unmodifiableMap(byOutcome);
    }

    /** Connections by Zeek conn_state, in order. */
    public Map<String, Long> byConnState() {
        return Collections.unmodifiableMap(byConnState);
    }

    /** Endpoints in TIME-WAIT at the end of the capture, per host address. */
    public Map<String, Long> timeWaitAtEnd() {
        return Collections.unmodifiableMap(timeWaitAtEnd);
    }

    public long timeWaitEndpointsAtEnd() {
        return timeWaitAtEnd.values().stream().mapToLong(Long::longValue).sum();
    }
}
