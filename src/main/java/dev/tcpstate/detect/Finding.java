package dev.tcpstate.detect;

import dev.tcpstate.flow.UidList;
import java.util.List;
import java.util.Map;

/**
 * One finding: what ({@link FindingType}), how bad, about whom ({@code subject}: a host, a
 * service {@code ip:port} or a connection), when (first and last packet time involved), how much
 * ({@code counts}, in a stable order; values are whole counts or ratios), which connections show
 * it (the uids of all of them in {@code connections}, a few as {@code evidence}), and a
 * one-sentence message.
 */
public record Finding(FindingType type, Severity severity, String subject, long startNanos, long endNanos,
        Map<String, Number> counts, List<String> connections, List<Evidence> evidence, String message) {

    public Finding {
        counts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
        connections = UidList.ofUids(connections);
        evidence = List.copyOf(evidence);
    }

    /** The connections that show the finding, as record numbers. */
    public UidList connectionIds() {
        return (UidList) connections;
    }

    /** A connection that shows the finding. */
    public record Evidence(String uid, String connection, long tsNanos, String outcome) {
    }
}
