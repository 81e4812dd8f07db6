package dev.tcpstate.live;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.report.AnalyzeJsonRenderer;
import dev.tcpstate.report.AnalyzeTextRenderer;
import dev.tcpstate.report.ConnectionFields;
import dev.tcpstate.report.JsonWriter;
import dev.tcpstate.report.TimeFormat;
import dev.tcpstate.report.Times;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The live event stream: a JSON object a line ({@code --format ndjson}) or a line of text per
 * event ({@code --format text}). Events: {@code connection_opened}, {@code connection_closed}
 * (the full record, as {@code connections --format ndjson}),
 * {@code connection_logged} (ndjson only: the final record, as {@code connections} writes it,
 * once per connection, the last ones at the end of the watch), {@code finding_raised},
 * {@code finding_cleared}, {@code stats} (each second), and at the end {@code report} (what
 * {@code analyze} reports). A reader sees events as they happen: connection events reach the
 * output within 100 ms, or as soon as traffic pauses ({@link #flush}); findings, stats and the
 * report at once. Each line is built whole, then written.
 * Connections are told by the analysis thread and findings by the picture's: one line at a time.
 */
public final class EventWriter implements LiveAnalyzer.Listener {
    /** Listens to nothing: under the dashboard, events only change what the screen shows. */
    public static final LiveAnalyzer.Listener SILENT = LiveAnalyzer.Listener.NONE;

    private final PrintWriter out;
    private final boolean json;
    private final int width;
    private final TimeFormat times;
    /** The line being built: one write per event, not one per JSON token. */
    private final StringBuilder pending = new StringBuilder(1024);
    private long lastFlush = System.nanoTime();
    private static final long FLUSH_NANOS = 100_000_000L;

    /** @param times the zone of the text lines' times (ndjson writes epoch seconds) */
    /** Where every connection of a finding can be seen, for the final report (see AnalyzeTextRenderer). */
    private String allConnections = AnalyzeTextRenderer.ALL_CONNECTIONS;

    /** The final report's pointer to every connection of a finding. */
    public void allConnections(String where) {
        this.allConnections = where;
    }

    public EventWriter(PrintWriter out, boolean json, int width, TimeFormat times) {
        this.out = out;
        this.json = json;
        this.width = width;
        this.times = times;
    }

    @Override
    public synchronized void opened(ConnectionRecord connection) {
        if (json) {
            JsonWriter w = start("connection_opened", connection.tsNanos());
            w.field("uid", connection.uid()).field("id.orig_h", connection.originatorAddress())
                    .field("id.orig_p", connection.originatorPort()).field("id.resp_h", connection.responderAddress())
                    .field("id.resp_p", connection.responderPort()).field("history", connection.history());
            end(w);
        } else {
            line(connection.tsNanos(), "opened  " + connection.uid() + " " + endpoints(connection));
        }
    }

    @Override
    public synchronized void closed(ConnectionRecord connection) {
        if (json) {
            JsonWriter w = start("connection_closed", connection.endNanos());
            w.name("connection");
            ConnectionFields.json(connection, w);
            end(w);
        } else {
            line(connection.endNanos(), "closed  " + connection.uid() + " " + endpoints(connection) + " "
                    + connection.connState() + " " + connection.outcome().label() + " " + connection.history());
        }
    }

    /** Only in ndjson: the record a program keeps (text lines are for people, who have closed). */
    @Override
    public synchronized void logged(ConnectionRecord connection) {
        if (json) {
            JsonWriter w = start("connection_logged", connection.endNanos());
            w.name("connection");
            ConnectionFields.json(connection, w);
            end(w);
        }
    }

    @Override
    public synchronized void raised(Finding finding) {
        if (json) {
            JsonWriter w = start("finding_raised", finding.endNanos());
            w.name("finding");
            AnalyzeJsonRenderer.finding(finding, w);
            end(w);
        } else {
            line(finding.endNanos(), "raised  " + finding.severity().label().toUpperCase(Locale.ROOT) + " "
                    + finding.type().id() + " " + finding.type().title() + " " + finding.subject() + ": "
                    + finding.message());
        }
        flush();
    }

    @Override
    public synchronized void cleared(Finding finding) {
        if (json) {
            JsonWriter w = start("finding_cleared", finding.endNanos());
            w.field("id", finding.type().id()).field("name", finding.type().title()).field("subject", finding.subject());
            end(w);
        } else {
            line(finding.endNanos(), "cleared " + finding.type().id() + " " + finding.type().title() + " "
                    + finding.subject());
        }
        flush();
    }

    /** The periodic picture: counters only (the dashboard shows the rest). */
    public synchronized void stats(LiveSnapshot snapshot) {
        LiveSnapshot.CaptureCounts c = snapshot.capture();
        if (json) {
            JsonWriter w = start("stats", snapshot.nowNanos());
            w.field("frames", snapshot.summary().frames()).field("tcp_segments", snapshot.summary().tcpSegments())
                    .field("open_connections", snapshot.openConnections())
                    .field("closed_connections", snapshot.closedConnections())
                    .field("findings", snapshot.findings().size()).field("pcap_received", c.received())
                    .field("pcap_dropped", c.droppedByKernel()).field("pcap_if_dropped", c.droppedByInterface())
                    .field("queue_dropped", c.droppedByQueue());
            if (c.droppedSinceNanos() != Long.MIN_VALUE) {
                w.name("dropped_since").number(Times.epochSeconds(c.droppedSinceNanos()));
            }
            end(w);
        } else {
            line(snapshot.nowNanos(), String.format(Locale.ROOT, "stats   %,d frames, %,d open, %,d closed, %d findings, "
                    + "%,d dropped before analysis%s", snapshot.summary().frames(), snapshot.openConnections(),
                    snapshot.closedConnections(), snapshot.findings().size(), c.dropped(),
                    c.droppedSinceNanos() == Long.MIN_VALUE ? "" : " since " + times.clockSeconds(c.droppedSinceNanos())));
        }
        flush();
    }

    /** The final report, as {@code analyze} gives it. */
    public synchronized void report(Analysis analysis) {
        if (json) {
            pending.setLength(0);
            JsonWriter w = new JsonWriter(pending).beginObject().field("event", "report");
            w.name("report");
            AnalyzeJsonRenderer.write(analysis, w);
            end(w);
        } else {
            out.println();
            AnalyzeTextRenderer.render(analysis, width, false, times, allConnections, out);
        }
        out.flush();
    }

    private JsonWriter start(String event, long nanos) {
        pending.setLength(0);
        JsonWriter w = new JsonWriter(pending).beginObject().field("event", event);
        w.name("ts").number(Times.epochSeconds(nanos));
        return w;
    }

    /** The event's line goes out; connection events are flushed at most every 100 ms (a busy link has thousands a second). */
    private void end(JsonWriter w) {
        w.endObject();
        pending.append(System.lineSeparator());
        out.append(pending);
        flushSoon();
    }

    private void line(long nanos, String text) {
        out.println(times.clock(nanos) + " " + text);
        flushSoon();
    }

    private void flushSoon() {
        long now = System.nanoTime();
        if (now - lastFlush >= FLUSH_NANOS) {
            out.flush();
            lastFlush = now;
        }
    }

    /** Traffic paused: what was written reaches the reader. */
    @Override
    public synchronized void flush() {
        out.flush();
        lastFlush = System.nanoTime();
    }

    private static String endpoints(ConnectionRecord connection) {
        return ConnectionRecord.endpoint(connection.originatorAddress(), connection.originatorPort()) + " > "
                + connection.service();
    }
}
