package dev.tcpstate.analysis;

import java.util.Comparator;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Which connections to show and in what order: by Zeek {@code conn_state}, by outcome, by a host
 * (or a CIDR block) or port on either side; sorted by start time (default), duration, bytes or packets (the
 * largest first).
 */
public record ConnectionQuery(Set<String> states, Set<String> outcomes, Optional<AddressRange> host, OptionalInt port,
        Sort sort) {
    /** Zeek's conn_state values. */
    public static final List<String> STATES = List.of("S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0",
            "RSTRH", "SH", "SHR", "OTH");
    /** The highest TCP port. */
    public static final int MAX_PORT = 65_535;

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

    /** A conn_state as Zeek writes it (any case given); IllegalArgumentException names the valid ones. */
    public static String state(String given) {
        String state = given.toUpperCase(Locale.ROOT);
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("(expected: " + String.join(", ", STATES) + ")");
        }
        return state;
    }

    /** An outcome's label (any case given); IllegalArgumentException names the valid ones. */
    public static String outcome(String given) {
        String outcome = given.toLowerCase(Locale.ROOT);
        List<String> labels = java.util.Arrays.stream(Outcome.values()).map(Outcome::label).toList();
        if (!labels.contains(outcome)) {
            throw new IllegalArgumentException("(expected: " + String.join(", ", labels) + ")");
        }
        return outcome;
    }

    /** A TCP port; IllegalArgumentException says the range. */
    public static int port(String given) {
        if (!given.matches("\\d{1,5}") || Integer.parseInt(given) > MAX_PORT) {
            throw new IllegalArgumentException("(expected: a port from 0 to " + MAX_PORT + ")");
        }
        return Integer.parseInt(given);
    }

    public static ConnectionQuery all() {
        return new ConnectionQuery(Set.of(), Set.of(), Optional.empty(), OptionalInt.empty(), Sort.TS);
    }

    public boolean matches(ConnectionRecord record) {
        return (states.isEmpty() || states.contains(record.connState()))
                && (outcomes.isEmpty() || outcomes.contains(record.outcome().label()))
                && host.map(h -> h.contains(record.originatorHigh(), record.originatorLow())
                        || h.contains(record.responderHigh(), record.responderLow())).orElse(true)
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
