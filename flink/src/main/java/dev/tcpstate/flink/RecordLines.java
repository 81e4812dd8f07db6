package dev.tcpstate.flink;

import dev.tcpstate.flow.Uids;
import dev.tcpstate.report.ConnectionFields;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** A final record as the line {@code tcpstate connections --format ndjson} writes for it. */
final class RecordLines extends RichMapFunction<RecordEvent, String> {
    private final int uidKey;
    private transient StringBuilder line;

    RecordLines(int uidKey) {
        this.uidKey = uidKey;
    }

    @Override
    public void open(OpenContext context) {
        Uids.useKey(uidKey);
        line = new StringBuilder(512);
    }

    @Override
    public String map(RecordEvent event) {
        line.setLength(0);
        ConnectionFields.DEFAULT.line(RecordBytes.read(event.record), line);
        return line.toString();
    }
}
