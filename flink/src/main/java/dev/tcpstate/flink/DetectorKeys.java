package dev.tcpstate.flink;

import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.FindingType;
import java.util.EnumSet;
import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Where a final record goes for detection, as the detectors key what they find: to its service
 * (responder address and port: handshake failures, half-open connections, resets, SYN floods)
 * and to each of its two hosts (TIME-WAIT stays of the side that closed first, reuse in
 * TIME-WAIT and ephemeral ports by the client, backscatter by the sender).
 *
 * <p>Services and hosts go in buckets by a hash of their name ({@link #BUCKETS} of each), and a
 * key is a bucket: one set of detectors per bucket, which keep their state per service and host
 * inside as they do in the CLI, so each service's and each host's findings come from all of its
 * records, in one place. One set per host would cost about 70 KiB each (the ephemeral-port table
 * alone is 64 KiB), and a capture with a million clients would make a million. Each bucket keeps
 * only the findings about its own services or hosts (the peers' buckets see the same records).
 */
final class DetectorKeys implements FlatMapFunction<RecordEvent, RecordEvent> {
    /** Buckets of services, and as many of hosts. */
    static final int BUCKETS = 256;
    private static final Set<FindingType> BY_SERVICE = EnumSet.of(FindingType.HANDSHAKE_UNANSWERED,
            FindingType.HANDSHAKE_REFUSED, FindingType.HANDSHAKE_NO_FINAL_ACK, FindingType.HANDSHAKE_RESET,
            FindingType.HANDSHAKE_BAD_SYN_ACK, FindingType.HALF_OPEN_PEER_RESET, FindingType.HALF_OPEN_PEER_SILENT,
            FindingType.DATA_AFTER_RESET, FindingType.CONNECTION_RESET, FindingType.SYN_FLOOD,
            FindingType.SYN_FLOOD_SLOW);
    private static final Set<FindingType> BY_HOST = EnumSet.of(FindingType.BACKSCATTER,
            FindingType.TIME_WAIT_BUILDUP, FindingType.TIME_WAIT_REUSE, FindingType.EPHEMERAL_PORT_PRESSURE);

    @Override
    public void flatMap(RecordEvent record, Collector<RecordEvent> out) {
        out.collect(record.keyed(serviceBucket(record.service)));
        int originator = hostBucket(record.originatorHost);
        int responder = hostBucket(record.responderHost);
        out.collect(record.keyed(originator));
        if (responder != originator) {
            out.collect(record.keyed(responder));
        }
    }

    /** The key of a service's bucket: 0 .. BUCKETS-1. */
    static int serviceBucket(String service) {
        return bucket(service);
    }

    /** The key of a host's bucket: BUCKETS .. 2×BUCKETS-1. */
    static int hostBucket(String host) {
        return BUCKETS + bucket(host);
    }

    private static int bucket(String name) {
        long h = name.hashCode() * 0x9E37_79B9_7F4A_7C15L; // String.hashCode is the same in every JVM
        return (int) ((h >>> 32) * BUCKETS >>> 32);
    }

    static boolean isService(int key) {
        return key < BUCKETS;
    }

    /** Whether bucket {@code key} speaks for {@code finding} (other buckets saw some of its records too). */
    static boolean owns(int key, Finding finding) {
        if (isService(key)) {
            return BY_SERVICE.contains(finding.type()) && serviceBucket(finding.subject()) == key;
        }
        // TS403 names "client > service": the client's finding
        int client = finding.subject().indexOf(" > ");
        String host = client < 0 ? finding.subject() : finding.subject().substring(0, client);
        return BY_HOST.contains(finding.type()) && hostBucket(host) == key;
    }
}
