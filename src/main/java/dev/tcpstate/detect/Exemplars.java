package dev.tcpstate.detect;

import dev.tcpstate.decode.IpAddresses;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The first few connections of a finding, as evidence, whatever order they arrive in: the
 * {@link Records#EVIDENCE} smallest by (first key, second key, record number). A finding names
 * these, not every connection it counts, as Zeek's notice.log names a connection or two.
 *
 * <p>Kept as numbers, one row of longs each, grown as examples come: a port scan makes a
 * finding's worth of state per port, and most of those hold one example.
 */
final class Exemplars {
    /** Per example: first key, second key, number, start, originator high and low, responder high and low. */
    private static final int ROW = 8;
    private static final Outcome[] OUTCOMES = Outcome.values();
    private long[] rows = new long[0];
    /** Per example: originator port in the high 16 bits, responder port in the low, outcome above. */
    private long[] more = new long[0];
    private int size;

    /** Offers {@code record}, ordered by start time (then number). */
    void offer(ConnectionRecord record) {
        offer(record.tsNanos(), 0, record);
    }

    /** Offers {@code record} under the given keys. */
    void offer(long firstKey, long secondKey, ConnectionRecord record) {
        if (size < Records.EVIDENCE || before(firstKey, secondKey, record.id(), size - 1)) {
            int at = insertAt(firstKey, secondKey, record.id());
            int o = at * ROW;
            rows[o] = firstKey;
            rows[o + 1] = secondKey;
            rows[o + 2] = record.id();
            rows[o + 3] = record.tsNanos();
            rows[o + 4] = record.originatorHigh();
            rows[o + 5] = record.originatorLow();
            rows[o + 6] = record.responderHigh();
            rows[o + 7] = record.responderLow();
            more[at] = (long) record.outcome().ordinal() << 32 | (long) record.originatorPort() << 16
                    | record.responderPort();
        }
    }

    /** Adds every example {@code other} holds. */
    void addAll(Exemplars other) {
        for (int i = 0; i < other.size; i++) {
            long[] row = Arrays.copyOfRange(other.rows, i * ROW, i * ROW + ROW);
            if (size < Records.EVIDENCE || before(row[0], row[1], row[2], size - 1)) {
                int at = insertAt(row[0], row[1], row[2]);
                System.arraycopy(row, 0, rows, at * ROW, ROW);
                more[at] = other.more[i];
            }
        }
    }

    /** Makes room for an example at its place in order and returns that place. */
    private int insertAt(long firstKey, long secondKey, long id) {
        int at = size;
        while (at > 0 && before(firstKey, secondKey, id, at - 1)) {
            at--;
        }
        if (size < Records.EVIDENCE) {
            rows = Arrays.copyOf(rows, (size + 1) * ROW);
            more = Arrays.copyOf(more, size + 1);
            size++;
        }
        // the last one falls off when full
        System.arraycopy(rows, at * ROW, rows, (at + 1) * ROW, (size - 1 - at) * ROW);
        System.arraycopy(more, at, more, at + 1, size - 1 - at);
        return at;
    }

    private boolean before(long firstKey, long secondKey, long id, int i) {
        int o = i * ROW;
        if (firstKey != rows[o]) {
            return firstKey < rows[o];
        }
        if (secondKey != rows[o + 1]) {
            return secondKey < rows[o + 1];
        }
        return id < rows[o + 2];
    }

    List<Finding.Evidence> evidence() {
        List<Finding.Evidence> evidence = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int o = i * ROW;
            int originatorPort = (int) (more[i] >>> 16) & 0xFFFF;
            int responderPort = (int) more[i] & 0xFFFF;
            String connection = ConnectionRecord.endpoint(IpAddresses.format(rows[o + 4], rows[o + 5]), originatorPort)
                    + " > " + ConnectionRecord.endpoint(IpAddresses.format(rows[o + 6], rows[o + 7]), responderPort);
            evidence.add(new Finding.Evidence(ConnectionRecord.uid(rows[o + 2]), connection, rows[o + 3],
                    OUTCOMES[(int) (more[i] >>> 32)].label()));
        }
        return evidence;
    }

    /** The examples' uids. */
    List<String> uids() {
        List<String> uids = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            uids.add(ConnectionRecord.uid(rows[i * ROW + 2]));
        }
        return uids;
    }
}
