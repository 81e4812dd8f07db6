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
 * TIME-WAIT and ephemeral ports by the client, backscatter by the sender). Each key runs every
 * detector over the records it gets and keeps only the findings about itself.
 */
final class DetectorKeys implements FlatMapFunction<RecordEvent, RecordEvent> {
    static final String SERVICE = "service ";
    static final String HOST = "host ";
    private static final Set<FindingType> BY_SERVICE = EnumSet.of(FindingType.HANDSHAKE_UNANSWERED,
            FindingType.HANDSHAKE_REFUSED, FindingType.HANDSHAKE_NO_FINAL_ACK, FindingType.HANDSHAKE_RESET,
            FindingType.HANDSHAKE_BAD_SYN_ACK, FindingType.HALF_OPEN_PEER_RESET, FindingType.HALF_OPEN_PEER_SILENT,
            FindingType.DATA_AFTER_RESET, FindingType.CONNECTION_RESET, FindingType.SYN_FLOOD,
            FindingType.SYN_FLOOD_SLOW);
    private static final Set<FindingType> BY_HOST = EnumSet.of(FindingType.BACKSCATTER,
            FindingType.TIME_WAIT_BUILDUP, FindingType.TIME_WAIT_REUSE, FindingType.EPHEMERAL_PORT_PRESSURE);

    @Override
    public void flatMap(RecordEvent record, Collector<RecordEvent> out) {
        out.collect(record.keyed(SERVICE + record.service));
        out.collect(record.keyed(HOST + record.originatorHost));
        if (!record.responderHost.equals(record.originatorHost)) {
            out.collect(record.keyed(HOST + record.responderHost));
        }
    }

    /** Whether the detectors of {@code key} speak for {@code finding} (the other keys of its records see it too). */
    static boolean owns(String key, Finding finding) {
        if (key.startsWith(SERVICE)) {
            return BY_SERVICE.contains(finding.type()) && finding.subject().equals(key.substring(SERVICE.length()));
        }
        String host = key.substring(HOST.length());
        return BY_HOST.contains(finding.type())
                && (finding.subject().equals(host) || finding.subject().startsWith(host + " > "));
    }

    static boolean isService(String key) {
        return key.startsWith(SERVICE);
    }
}
