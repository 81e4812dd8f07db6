package dev.tcpstate.analysis;

import java.util.Comparator;
import dev.tcpstate.flow.ConnectionRecord;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Which connections to show and in what order: by Zeek {@code conn_state}, by outcome, by a host
 * or port on either side; sorted by start time (default), duration, bytes or packets (the
 * largest first).
 */
public record ConnectionQuery(Set<String> states, Set<String> outcomes, Optional<String> host, OptionalInt port,
        Sort sort) {
    public enum Sort {
        TS, DURATION, BYTES, PACKETS;

        public static Sort parse(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    public ConnectionQuery {
        states = Set.copyOf(states);
        outcomes = Set.copyOf(outcomes);
    }

    public static ConnectionQuery all() {
        return new ConnectionQuery(Set.of(), Set.of(), Optional.empty(), OptionalInt.empty(), Sort.TS);
    }

    public boolean matches(ConnectionRecord record) {
        return (states.isEmpty() || states.contains(record.connState()))
                && (outcomes.isEmpty() || outcomes.contains(record.outcome().label()))
                && host.map(h -> h.equals(record.originatorAddress()) || h.equals(record.responderAddress()))
                        .orElse(true)
                && (port.isEmpty() || port.getAsInt() == record.originatorPort()
                        || port.getAsInt() == record.responderPort());
    }

    public List<ConnectionRecord> apply(List<ConnectionRecord> records) {
        Comparator<ConnectionRecord> order = switch (sort) {
            case TS -> Comparator.comparingLong(ConnectionRecord::tsNanos);
            case DURATION -> Comparator.comparingLong((ConnectionRecord r) -> r.durationNanos().orElse(0)).reversed();
            case BYTES -> Comparator.comparingLong((ConnectionRecord r) -> r.originatorBytes().orElse(0)
                    + r.responderBytes().orElse(0)).reversed();
            case PACKETS -> Comparator.comparingLong((ConnectionRecord r) -> r.originatorPackets()
                    + r.responderPackets()).reversed();
        };
        return records.stream().filter(this::matches).sorted(order.thenComparingLong(ConnectionRecord::id)).toList();
    }
}
