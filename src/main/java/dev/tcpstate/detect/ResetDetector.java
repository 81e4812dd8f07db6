package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Established connections ended by a RST rather than FINs, per service and by who reset (the
 * half-open ones, where the resetting side had lost the connection, are the half-open detector's).
 */
final class ResetDetector {
    private final Map<Records.ServiceKey, ServiceTally> services = new HashMap<>();

    void accept(ConnectionRecord record) {
        if (record.outcome() == Outcome.RESET) {
            Records.service(services, record, ServiceTally::new).add(record, 0);
        }
    }

    List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        services.values().forEach(reset -> {
            Map<String, Number> counts = new LinkedHashMap<>();
            counts.put("connections", reset.count);
            counts.put("reset_by_server", reset.byServer);
            counts.put("reset_by_client", reset.count - reset.byServer);
            String message = reset.service + ": " + Records.count(reset.count, "established connection was",
                    "established connections were") + " reset (" + Records.number(reset.byServer)
                    + " by the server, " + Records.number(reset.count - reset.byServer) + " by the client).";
            findings.add(reset.finding(FindingType.CONNECTION_RESET, Severity.NOTE, counts, message));
        });
        return findings;
    }
}
