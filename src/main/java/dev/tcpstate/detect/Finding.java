package dev.tcpstate.detect;

import dev.tcpstate.flow.UidList;
import java.util.List;
import java.util.Map;

/**
 * One finding: what ({@link FindingType}), how bad, about whom ({@code subject}: a host, a
 * service {@code ip:port} or a connection), when (first and last packet time involved), how much
 * ({@code counts}, in a stable order; values are whole counts as longs or ratios as doubles), which
 * connections show it (a few examples: their uids in {@code connections}, and as {@code evidence}),
 * and a one-sentence message. A finding names examples, not every connection it counts, as Zeek's
 * notice.log does: the counts say how many.
 */
public record Finding(FindingType type, Severity severity, String subject, long startNanos, long endNanos,
        Map<String, Number> counts, List<String> connections, List<Evidence> evidence, String message) {

    public Finding {
        // whole counts are longs, ratios doubles, whichever type a detector counted in
        java.util.Map<String, Number> normal = new java.util.LinkedHashMap<>();
        counts.forEach((key, value) -> normal.put(key, value instanceof Double || value instanceof Float
                ? (Number) value.doubleValue() : (Number) value.longValue()));
        counts = java.util.Collections.unmodifiableMap(normal);
        connections = UidList.ofUids(connections);
        evidence = List.copyOf(evidence);
    }

    /**
     * What to do about it: the type's advice, except where the counts say which advice applies. A
     * host in TIME-WAIT mostly as the server of its connections gets server advice:
     * {@code tcp_tw_reuse} only helps outgoing connections.
     */
    public String advice() {
        if (type == FindingType.TIME_WAIT_BUILDUP && counts.getOrDefault("closed_first_as_server", 0).longValue()
                > counts.getOrDefault("closed_first_as_client", 0).longValue()) {
            return "The host closes first as the server of its connections, so its sockets sit in TIME-WAIT for "
                    + "2xMSL: let the clients close first (keep-alive, a protocol where the client ends the "
                    + "connection), or close only idle pooled connections; net.ipv4.tcp_tw_reuse does not help here, "
                    + "it only applies to outgoing connections.";
        }
        return type.advice();
    }

    /** The connections that show the finding, as record numbers. */
    public UidList connectionIds() {
        return (UidList) connections;
    }

    /** A connection that shows the finding. */
    public record Evidence(String uid, String connection, long tsNanos, String outcome) {
    }
}
