package dev.tcpstate.analysis;

import dev.tcpstate.decode.IpAddresses;
import dev.tcpstate.detect.LongHeap;
import dev.tcpstate.flow.ConnectionRecord;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Endpoints in TIME-WAIT per host, for the live picture: the logged records' stays are kept as
 * they are logged, each host's ends in a heap, and dropped once over; the open connections' are
 * added at the moment asked. Exact however many records the window holds, and as large as the
 * TIME-WAIT state itself, not as the window.
 */
final class TimeWaitCounts {
    /** An address as records keep it (IPv4 mapped into the low half). */
    private record Address(long high, long low) {
    }

    private final long timeWaitNanos;
    private final Map<Address, LongHeap> ends = new HashMap<>();

    TimeWaitCounts(long timeWaitNanos) {
        this.timeWaitNanos = timeWaitNanos;
    }

    /** A record was logged: its endpoints' stays in TIME-WAIT, if any, count until they end. */
    void logged(ConnectionRecord record) {
        stay(record, record.originatorTimeWaitNanos(), record.originatorHigh(), record.originatorLow());
        stay(record, record.responderTimeWaitNanos(), record.responderHigh(), record.responderLow());
    }

    private void stay(ConnectionRecord record, OptionalLong since, long high, long low) {
        if (since.isPresent()) {
            ends.computeIfAbsent(new Address(high, low), address -> new LongHeap())
                    .add(record.timeWaitEnd(since.getAsLong(), timeWaitNanos));
        }
    }

    /**
     * The logged records' endpoints still in TIME-WAIT at {@code now}, per host: a copy, to which
     * the open connections' are added where the picture is drawn ({@link Logged#withOpen}).
     */
    Logged at(long now) {
        Map<Address, Integer> counts = new HashMap<>();
        for (Iterator<Map.Entry<Address, LongHeap>> hosts = ends.entrySet().iterator(); hosts.hasNext();) {
            Map.Entry<Address, LongHeap> host = hosts.next();
            LongHeap heap = host.getValue();
            while (!heap.isEmpty() && heap.peek() <= now) {
                heap.poll();
            }
            if (heap.isEmpty()) {
                hosts.remove();
            } else {
                counts.put(host.getKey(), heap.size());
            }
        }
        return new Logged(now, timeWaitNanos, Map.copyOf(counts));
    }

    /** The logged records' part of a count, immutable: it may be finished on another thread. */
    record Logged(long now, long timeWaitNanos, Map<Address, Integer> counts) {
        /** Adds the open connections' endpoints in TIME-WAIT at the same moment; by host, as text. */
        Map<String, Integer> withOpen(List<ConnectionRecord> open) {
            Map<Address, int[]> all = new HashMap<>();
            counts.forEach((address, n) -> all.put(address, new int[] {n}));
            for (ConnectionRecord record : open) {
                count(all, record, record.originatorTimeWaitNanos(), record.originatorHigh(), record.originatorLow());
                count(all, record, record.responderTimeWaitNanos(), record.responderHigh(), record.responderLow());
            }
            Map<String, Integer> byHost = new TreeMap<>();
            all.forEach((address, n) -> byHost.put(IpAddresses.format(address.high(), address.low()), n[0]));
            return byHost;
        }

        private void count(Map<Address, int[]> all, ConnectionRecord record, OptionalLong since, long high, long low) {
            if (since.isPresent() && since.getAsLong() <= now
                    && now < record.timeWaitEnd(since.getAsLong(), timeWaitNanos)) {
                all.computeIfAbsent(new Address(high, low), address -> new int[1])[0]++;
            }
        }
    }
}
