package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The first few connections of a finding, as evidence, whatever order they arrive in: the
 * {@link Records#EVIDENCE} smallest by (first key, second key, record number). A finding names
 * these, not every connection it counts, as Zeek's notice.log names a connection or two.
 */
final class Exemplars {
    private final long[] first = new long[Records.EVIDENCE];
    private final long[] second = new long[Records.EVIDENCE];
    private final long[] ids = new long[Records.EVIDENCE];
    /** The records themselves (five at most): their evidence lines are made only when asked for. */
    private final ConnectionRecord[] records = new ConnectionRecord[Records.EVIDENCE];
    private int size;

    /** Offers {@code record}, ordered by start time (then number). */
    void offer(ConnectionRecord record) {
        offer(record.tsNanos(), 0, record);
    }

    /** Offers {@code record} under the given keys. */
    void offer(long firstKey, long secondKey, ConnectionRecord record) {
        if (size < Records.EVIDENCE || before(firstKey, secondKey, record.id(), size - 1)) {
            insert(firstKey, secondKey, record.id(), record);
        }
    }

    /** Adds every exemplar {@code other} holds. */
    void addAll(Exemplars other) {
        for (int i = 0; i < other.size; i++) {
            if (size < Records.EVIDENCE || before(other.first[i], other.second[i], other.ids[i], size - 1)) {
                insert(other.first[i], other.second[i], other.ids[i], other.records[i]);
            }
        }
    }

    private void insert(long firstKey, long secondKey, long id, ConnectionRecord record) {
        int at = size;
        while (at > 0 && before(firstKey, secondKey, id, at - 1)) {
            at--;
        }
        for (int i = Math.min(size, Records.EVIDENCE - 1); i > at; i--) {
            first[i] = first[i - 1];
            second[i] = second[i - 1];
            ids[i] = ids[i - 1];
            records[i] = records[i - 1];
        }
        first[at] = firstKey;
        second[at] = secondKey;
        ids[at] = id;
        records[at] = record;
        size = Math.min(size + 1, Records.EVIDENCE);
    }

    private boolean before(long firstKey, long secondKey, long id, int i) {
        if (firstKey != first[i]) {
            return firstKey < first[i];
        }
        if (secondKey != second[i]) {
            return secondKey < second[i];
        }
        return id < ids[i];
    }

    List<Finding.Evidence> evidence() {
        List<Finding.Evidence> evidence = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            evidence.add(Records.evidence(records[i]));
        }
        return evidence;
    }

    /** The exemplars' uids. */
    List<String> uids() {
        List<String> uids = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            uids.add(ConnectionRecord.uid(ids[i]));
        }
        return uids;
    }
}
