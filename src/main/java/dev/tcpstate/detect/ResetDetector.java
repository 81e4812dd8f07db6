package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.state.Side;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Established connections ended by a RST rather than FINs, per service and by who reset (the
 * half-open ones, where the resetting side had lost the connection, are the half-open detector's).
 */
final class ResetDetector {
    /** @param services every record, per service (in time order within each) */
    List<Finding> detect(java.util.Map<String, List<ConnectionRecord>> services) {
        List<Finding> findings = new ArrayList<>();
        services.forEach((service, connections) -> {
            List<ConnectionRecord> reset = connections.stream().filter(r -> r.outcome() == Outcome.RESET).toList();
            if (reset.isEmpty()) {
                return;
            }
            long byServer = reset.stream().filter(r -> r.resetBy().orElse(null) == Side.RESPONDER).count();
            Map<String, Number> counts = new LinkedHashMap<>();
            counts.put("connections", reset.size());
            counts.put("reset_by_server", byServer);
            counts.put("reset_by_client", reset.size() - byServer);
            String message = service + ": " + Records.count(reset.size(), "established connection was",
                    "established connections were") + " reset (" + Records.number(byServer)
                    + " by the server, " + Records.number(reset.size() - byServer) + " by the client).";
            findings.add(new Finding(FindingType.CONNECTION_RESET, Severity.NOTE, service,
                    Records.first(reset), Records.last(reset), counts, Records.uids(reset), Records.evidence(reset), message));
        });
        return findings;
    }
}
