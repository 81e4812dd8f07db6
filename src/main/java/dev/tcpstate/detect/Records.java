package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.UidList;
import dev.tcpstate.state.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the detectors ask of records: which are handshake attempts, grouping, evidence. */
final class Records {
    /** Evidence connections per finding: enough to look at, few enough to read. */
    static final int EVIDENCE = 5;

    private Records() {
    }

    /**
     * A connection attempt a client made: a record that saw its SYN, counted once even when Zeek's
     * attempt timer split it (only its last record, which holds the whole attempt's outcome).
     */
    static boolean isAttempt(ConnectionRecord record) {
        return !record.midstream() && !record.continuedLater();
    }

    /** The handshake completed (possibly before a reset or close). */
    static boolean completed(ConnectionRecord record) {
        return switch (record.outcome()) {
            case UNANSWERED, REFUSED, NO_FINAL_ACK, RESET_IN_HANDSHAKE -> false;
            default -> true;
        };
    }

    static boolean is(ConnectionRecord record, Outcome outcome) {
        return record.outcome() == outcome;
    }

    /** Groups in first-seen order (records come sorted by time, so groups are too). */
    static <K> Map<K, List<ConnectionRecord>> group(List<ConnectionRecord> records, Function<ConnectionRecord, K> key) {
        Map<K, List<ConnectionRecord>> groups = new LinkedHashMap<>();
        for (ConnectionRecord record : records) {
            groups.computeIfAbsent(key.apply(record), k -> new ArrayList<>()).add(record);
        }
        return groups;
    }

    /**
     * Groups by service ({@code ip:port} of the responder), in first-seen order. Grouping by the
     * numbers and naming each group once is much cheaper than making a service's text per record.
     */
    static Map<String, List<ConnectionRecord>> byService(List<ConnectionRecord> records) {
        Map<Service, List<ConnectionRecord>> groups = new LinkedHashMap<>();
        for (ConnectionRecord record : records) {
            groups.computeIfAbsent(new Service(record.responderHigh(), record.responderLow(), record.responderPort()),
                    k -> new ArrayList<>()).add(record);
        }
        Map<String, List<ConnectionRecord>> named = new LinkedHashMap<>();
        groups.values().forEach(group -> named.put(group.get(0).service(), group));
        return named;
    }

    private record Service(long high, long low, int port) {
    }

    /** The uids of the records a finding is about. */
    static List<String> uids(List<ConnectionRecord> records) {
        return UidList.of(records);
    }

    /** The first few records, in time order, as evidence. */
    static List<Finding.Evidence> evidence(List<ConnectionRecord> records) {
        return records.stream().limit(EVIDENCE).map(Records::evidence).toList();
    }

    static Finding.Evidence evidence(ConnectionRecord record) {
        return new Finding.Evidence(record.uid(),
                ConnectionRecord.endpoint(record.originatorAddress(), record.originatorPort()) + " > " + record.service(),
                record.tsNanos(), record.outcome().label());
    }

    static long first(List<ConnectionRecord> records) {
        return records.stream().mapToLong(ConnectionRecord::attemptStartNanos).min().orElse(0);
    }

    static long last(List<ConnectionRecord> records) {
        return records.stream().mapToLong(ConnectionRecord::endNanos).max().orElse(0);
    }

    /** {@code n} followed by the noun, plural unless n is 1 ({@code "1 SYN"}, {@code "3 SYNs"}). */
    static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    static String count(long n, String one, String many) {
        return String.format(java.util.Locale.ROOT, "%,d ", n) + (n == 1 ? one : many);
    }

    /** A count with thousands separators, as in the rest of the report. */
    static String number(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    static String percent(double ratio) {
        return Math.round(ratio * 100) + " %";
    }
}
