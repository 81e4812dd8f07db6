package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;

/**
 * The connections of one kind at one service that a finding is about, counted as they come: how
 * many, when, reset by the server or not, a sum the finding reports, and a few examples.
 */
final class ServiceTally {
    final String service;
    long count;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long byServer;
    long sum;
    final Exemplars exemplars = new Exemplars();

    ServiceTally(String service) {
        this.service = service;
    }

    /** Counts {@code record}, adding {@code amount} to the sum. */
    void add(ConnectionRecord record, long amount) {
        count++;
        first = Math.min(first, record.attemptStartNanos());
        last = Math.max(last, record.endNanos());
        byServer += record.resetBy().orElse(null) == dev.tcpstate.state.Side.RESPONDER ? 1 : 0;
        sum += amount;
        exemplars.offer(record);
    }

    Finding finding(FindingType type, Severity severity, java.util.Map<String, Number> counts, String message) {
        return new Finding(type, severity, service, first, last, counts, exemplars.uids(), exemplars.evidence(),
                message);
    }
}
