package dev.tcpstate.report;

import dev.tcpstate.analysis.ConnectionRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalLong;

/** {@code connections --format ndjson}: one JSON object per line, Zeek's conn.log keys first. */
public final class ConnectionsNdjsonRenderer {
    private ConnectionsNdjsonRenderer() {
    }

    public static void render(List<ConnectionRecord> records, PrintWriter out) {
        for (ConnectionRecord record : records) {
            StringBuilder line = new StringBuilder(400);
            JsonWriter json = new JsonWriter(line).beginObject();
            json.name("ts").number(Times.epochSeconds(record.tsNanos())).field("uid", record.uid())
                    .field("id.orig_h", record.originatorAddress()).field("id.orig_p", record.originatorPort())
                    .field("id.resp_h", record.responderAddress()).field("id.resp_p", record.responderPort())
                    .field("proto", "tcp");
            optional(json, "duration", record.durationNanos(), true);
            optional(json, "orig_bytes", record.originatorBytes(), false);
            optional(json, "resp_bytes", record.responderBytes(), false);
            json.field("conn_state", record.connState()).field("missed_bytes", record.missedBytes());
            if (!record.history().isEmpty()) {
                json.field("history", record.history());
            }
            json.field("orig_pkts", record.originatorPackets()).field("orig_ip_bytes", record.originatorIpBytes())
                    .field("resp_pkts", record.responderPackets()).field("resp_ip_bytes", record.responderIpBytes())
                    .field("outcome", record.outcome()).field("orig_state", record.originatorState()).field("resp_state", record.responderState())
                    .field("syn_retries", record.synRetries()).field("retransmits", record.retransmits())
                    .name("time_wait_at_end").value(record.timeWaitAtEnd())
                    .name("midstream").value(record.midstream())
                    .endObject();
            out.println(line);
        }
        out.flush();
    }

    private static void optional(JsonWriter json, String name, OptionalLong value, boolean seconds) {
        if (value.isPresent()) {
            if (seconds) {
                json.name(name).number(Times.seconds(value.getAsLong()));
            } else {
                json.field(name, value.getAsLong());
            }
        }
    }
}
