package dev.tcpstate.report;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The columns of a connection record, in order, with their Zeek types: one table every machine
 * format (ndjson, json, csv, zeek) is written from. Zeek's conn.log fields come first, in Zeek's
 * order ({@link #ZEEK_FIELDS} of them), then {@code community_id} where Zeek's community-id-logging
 * policy puts it, then tcpstate's own: Zeek's convention for extending a log, so zeek-cut and Zeek
 * log readers find Zeek's columns where they expect them.
 */
public final class ConnectionFields {
    /**
     * A column: its key, its Zeek log type, its value (null when unset), and its value in the zeek
     * format when Zeek writes it differently (times and intervals with six decimals).
     */
    public record Field(String key, String zeekType, Function<ConnectionRecord, Object> value,
            Function<ConnectionRecord, Object> zeekValue) {
        Field(String key, String zeekType, Function<ConnectionRecord, Object> value) {
            this(key, zeekType, value, value);
        }
    }

    /** A number written as given in text (epoch seconds, durations). */
    public record Decimal(String text) {
    }

    /** How many of the fields are Zeek's conn.log fields (ts to ip_proto). */
    public static final int ZEEK_FIELDS = 22;
    /** IP protocol number of TCP, Zeek's ip_proto. */
    private static final long TCP = 6;

    /** The fields with the Community ID under the spec's default seed 0. */
    public static final ConnectionFields DEFAULT = new ConnectionFields(new CommunityId(0));

    private final CommunityId communityId;
    private final List<Field> all;

    public ConnectionFields(CommunityId communityId) {
        this.communityId = communityId;
        this.all = List.of(
            new Field("ts", "time", r -> new Decimal(Times.epochSeconds(r.tsNanos())),
                    r -> new Decimal(Times.zeekTime(r.tsNanos()))),
            new Field("uid", "string", ConnectionRecord::uid),
            new Field("id.orig_h", "addr", ConnectionRecord::originatorAddress),
            new Field("id.orig_p", "port", r -> (long) r.originatorPort()),
            new Field("id.resp_h", "addr", ConnectionRecord::responderAddress),
            new Field("id.resp_p", "port", r -> (long) r.responderPort()),
            new Field("proto", "enum", r -> "tcp"),
            new Field("service", "string", r -> null), // tcpstate has no protocol analyzers
            new Field("duration", "interval", r -> r.durationNanos().isPresent()
                    ? new Decimal(Times.seconds(r.durationNanos().getAsLong())) : null,
                    r -> r.durationNanos().isPresent() ? new Decimal(Times.zeekInterval(r.tsNanos(), r.endNanos()))
                            : null),
            new Field("orig_bytes", "count", r -> optional(r.originatorBytes())),
            new Field("resp_bytes", "count", r -> optional(r.responderBytes())),
            new Field("conn_state", "string", ConnectionRecord::connState),
            new Field("local_orig", "bool", r -> null), // Zeek leaves both unset without Site::local_nets
            new Field("local_resp", "bool", r -> null),
            new Field("missed_bytes", "count", ConnectionRecord::missedBytes),
            new Field("history", "string", r -> r.history().isEmpty() ? null : r.history()),
            new Field("orig_pkts", "count", ConnectionRecord::originatorPackets),
            new Field("orig_ip_bytes", "count", ConnectionRecord::originatorIpBytes),
            new Field("resp_pkts", "count", ConnectionRecord::responderPackets),
            new Field("resp_ip_bytes", "count", ConnectionRecord::responderIpBytes),
            new Field("tunnel_parents", "set[string]", r -> r.tunnelParents().isEmpty() ? null : r.tunnelParents()),
            new Field("ip_proto", "count", r -> TCP),
            new Field("community_id", "string", this::communityId),
            new Field("outcome", "string", r -> r.outcome().label()),
            new Field("orig_state", "string", r -> r.originatorState().label()),
            new Field("resp_state", "string", r -> r.responderState().label()),
            new Field("syn_retries", "count", r -> (long) r.synRetries()),
            new Field("handshake_rtt_ms", "double", r -> r.handshakeRttNanos().isPresent()
                    ? new Decimal(Times.milliseconds(r.handshakeRttNanos().getAsLong())) : null),
            new Field("retransmits", "count", ConnectionRecord::retransmits),
            new Field("time_wait_at_end", "bool", ConnectionRecord::timeWaitAtEnd),
            new Field("reused_time_wait", "bool", ConnectionRecord::reusedTimeWait),
            new Field("midstream", "bool", ConnectionRecord::midstream),
            new Field("continues", "string", r -> r.continuesUid().orElse(null)),
            new Field("continued_in", "string", r -> r.continuedInUid().orElse(null)));
    }

    /** Every field, in order. */
    public List<Field> all() {
        return all;
    }

    /** The record's Community ID. */
    public String communityId(ConnectionRecord r) {
        return communityId.tcp(r.originatorHigh(), r.originatorLow(), r.originatorPort(), r.responderHigh(),
                r.responderLow(), r.responderPort());
    }

    private static Object optional(OptionalLong value) {
        return value.isPresent() ? (Object) value.getAsLong() : null;
    }

    /** {@link #object} with the default fields. */
    public static void json(ConnectionRecord record, JsonWriter json) {
        DEFAULT.object(record, json);
    }

    /** {@link #line} with the default fields. */
    public static void json(ConnectionRecord record, StringBuilder line) {
        DEFAULT.line(record, line);
    }

    /** Writes one record as a JSON object; unset fields are left out, as Zeek's JSON logs do. */
    public void object(ConnectionRecord record, JsonWriter json) {
        json.beginObject();
        for (Field field : all) {
            Object value = field.value().apply(record);
            if (value == null) {
                continue;
            }
            json.name(field.key());
            if (value instanceof Decimal decimal) {
                json.number(decimal.text());
            } else if (value instanceof Long number) {
                json.value(number);
            } else if (value instanceof Boolean bool) {
                json.value(bool);
            } else if (value instanceof List<?> list) {
                json.beginArray();
                list.forEach(item -> json.value(item.toString()));
                json.endArray();
            } else {
                json.value(value.toString());
            }
        }
        json.endObject();
    }

    /**
     * One record as the JSON object {@link #json} writes, appended to {@code line} directly: the
     * NDJSON writer's path, for millions of records (no boxing, no field table). A test keeps the
     * two equal.
     */
    public void line(ConnectionRecord r, StringBuilder line) {
        line.append("{\"ts\":");
        Times.appendDecimal(r.tsNanos(), 1_000_000_000L, 9, line);
        line.append(",\"uid\":");
        JsonWriter.quote(r.uid(), line);
        line.append(",\"id.orig_h\":");
        JsonWriter.quote(r.originatorAddress(), line);
        line.append(",\"id.orig_p\":").append(r.originatorPort()).append(",\"id.resp_h\":");
        JsonWriter.quote(r.responderAddress(), line);
        line.append(",\"id.resp_p\":").append(r.responderPort()).append(",\"proto\":\"tcp\"");
        if (r.durationNanos().isPresent()) {
            line.append(",\"duration\":");
            Times.appendDecimal(r.durationNanos().getAsLong(), 1_000_000_000L, 9, line);
            line.append(",\"orig_bytes\":").append(r.originatorBytes().getAsLong())
                    .append(",\"resp_bytes\":").append(r.responderBytes().getAsLong());
        }
        line.append(",\"conn_state\":");
        JsonWriter.quote(r.connState(), line);
        line.append(",\"missed_bytes\":").append(r.missedBytes());
        if (!r.history().isEmpty()) {
            line.append(",\"history\":");
            JsonWriter.quote(r.history(), line);
        }
        line.append(",\"orig_pkts\":").append(r.originatorPackets())
                .append(",\"orig_ip_bytes\":").append(r.originatorIpBytes())
                .append(",\"resp_pkts\":").append(r.responderPackets())
                .append(",\"resp_ip_bytes\":").append(r.responderIpBytes());
        List<String> tunnelParents = r.tunnelParents();
        if (!tunnelParents.isEmpty()) {
            line.append(",\"tunnel_parents\":[");
            for (int i = 0; i < tunnelParents.size(); i++) {
                JsonWriter.quote(tunnelParents.get(i), line.append(i == 0 ? "" : ","));
            }
            line.append(']');
        }
        line.append(",\"ip_proto\":").append(TCP).append(",\"community_id\":");
        JsonWriter.quote(communityId(r), line);
        line.append(",\"outcome\":\"").append(r.outcome().label())
                .append("\",\"orig_state\":\"").append(r.originatorState().label())
                .append("\",\"resp_state\":\"").append(r.responderState().label())
                .append("\",\"syn_retries\":").append(r.synRetries());
        if (r.handshakeRttNanos().isPresent()) {
            line.append(",\"handshake_rtt_ms\":");
            Times.appendDecimal(r.handshakeRttNanos().getAsLong(), 1_000_000L, 6, line);
        }
        line.append(",\"retransmits\":").append(r.retransmits())
                .append(",\"time_wait_at_end\":").append(r.timeWaitAtEnd())
                .append(",\"reused_time_wait\":").append(r.reusedTimeWait())
                .append(",\"midstream\":").append(r.midstream());
        if (r.continuesUid().isPresent()) {
            line.append(",\"continues\":");
            JsonWriter.quote(r.continuesUid().get(), line);
        }
        if (r.continuedInUid().isPresent()) {
            line.append(",\"continued_in\":");
            JsonWriter.quote(r.continuedInUid().get(), line);
        }
        line.append('}');
    }

    /**
     * A value as plain text: {@code unset} for a missing one, booleans as {@code yes}/{@code no}
     * given (Zeek writes T/F, CSV readers expect true/false).
     */
    public static String text(Object value, String unset, String yes, String no) {
        if (value == null) {
            return unset;
        }
        if (value instanceof Decimal decimal) {
            return decimal.text();
        }
        if (value instanceof Boolean bool) {
            return bool ? yes : no;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(","));
        }
        return value.toString();
    }
}
