package dev.tcpstate.report;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.CaptureSummary;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.FindingType;
import dev.tcpstate.detect.Timeline;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code analyze --format html}: one self-contained HTML file (inline CSS, script and SVG; no
 * network access to view it) with the capture summary, the findings, a sortable connection table
 * and four charts: connections by outcome over time, SYN rate with flood windows shaded,
 * TIME-WAIT per host over time, and the handshake RTT distribution. The time charts share the
 * capture's time range; times are written in the zone asked for, which the header names.
 */
public final class HtmlRenderer {
    /** Rows of the connection table; more would make the page slow ({@code connections} has them all). */
    static final int MAX_ROWS = 10_000;
    /** Bars of the time charts: the analysis's timeline must be cut into as many ({@code analyze} asks for them). */
    public static final int BUCKETS = 60;

    private HtmlRenderer() {
    }

    public static void render(Analysis analysis, List<String> captures, String version, TimeFormat times,
            PrintWriter out) {
        long first = analysis.summary().timeSpan().map(CaptureSummary.TimeSpan::firstNanos).orElse(0L);
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<title>" + Xml.escape("tcpstate analyze: " + String.join(", ", captures)) + "</title>");
        out.println("<style>" + CSS + "</style></head>");
        out.println("<body data-status=\"loading\">");
        out.println("<header><h1>tcpstate analyze</h1><p>" + Xml.escape(String.join(", ", captures))
                + " &middot; tcpstate " + Xml.escape(version) + " &middot; <span id=\"zone\">times in "
                + Xml.escape(times.describe(first)) + "</span></p></header>");
        summary(analysis, times, out);
        findings(analysis.findings(), times, out);
        charts(analysis, times, out);
        table(analysis.records(), analysis.findings(), first, times, out);
        out.println("<script>" + SCRIPT + "</script>");
        out.println("</body></html>");
        out.flush();
    }

    private static void summary(Analysis analysis, TimeFormat times, PrintWriter out) {
        CaptureSummary summary = analysis.summary();
        out.println("<section id=\"summary\"><h2>Capture</h2><table class=\"kv\">");
        row(out, "frames", String.format(Locale.ROOT, "%,d read, %,d TCP (%,d IPv4, %,d IPv6), %,d skipped",
                summary.frames(), summary.tcpSegments(), summary.ipv4Segments(), summary.ipv6Segments(),
                summary.skippedTotal()));
        summary.skipped().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> row(out,
                "skipped " + e.getKey().label(), String.format(Locale.ROOT, "%,d: %s", e.getValue(), e.getKey().description())));
        summary.timeSpan().ifPresent(span -> row(out, "time span", times.dateTime(span.firstNanos()) + " .. "
                + times.dateTime(span.lastNanos()) + " (" + Times.seconds(span.durationNanos()) + " s)"));
        Map<String, Long> outcomes = analysis.connections().byOutcome();
        row(out, "connections", String.format(Locale.ROOT, "%,d", analysis.connections().total()) + (outcomes.isEmpty()
                ? "" : ": " + String.join(", ", outcomes.entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey())).toList())));
        row(out, "checksums", summary.checksums().name().toLowerCase(Locale.ROOT));
        summary.warnings().forEach(w -> row(out, "warning", w.toString()));
        out.println("</table></section>");
    }

    private static void row(PrintWriter out, String key, String value) {
        out.println("<tr><th>" + Xml.escape(key) + "</th><td>" + Xml.escape(value) + "</td></tr>");
    }

    private static void findings(List<Finding> findings, TimeFormat times, PrintWriter out) {
        out.println("<section id=\"findings\"><h2>Findings (" + findings.size() + ")</h2>");
        if (findings.isEmpty()) {
            out.println("<p>No findings.</p>");
        }
        for (Finding finding : findings) {
            String severity = finding.severity().label();
            out.println("<article class=\"finding " + severity + "\"><h3><span class=\"badge\">" + severity.toUpperCase(Locale.ROOT)
                    + "</span> " + finding.type().id() + " " + finding.type().title() + " <small>"
                    + Xml.escape(finding.subject()) + " &middot; " + times.clock(finding.startNanos())
                    + " .. " + times.clock(finding.endNanos()) + "</small></h3>");
            out.println("<p>" + Xml.escape(finding.message()) + "</p>");
            out.print("<p class=\"counts\">");
            finding.counts().forEach((k, v) -> out.print("<span>" + Xml.escape(k) + " <b>" + Xml.escape(number(v))
                    + "</b></span> "));
            out.println("</p>");
            if (!finding.evidence().isEmpty()) {
                out.print("<p class=\"evidence\">evidence: ");
                out.print(String.join(", ", finding.evidence().stream().map(e -> "<a href=\"#" + e.uid() + "\">" + e.uid()
                        + "</a> " + Xml.escape(e.connection())).toList()));
                out.println("</p>");
            }
            out.println("<p class=\"advice\">" + Xml.escape(finding.advice()) + "</p>");
            explanation(finding.type(), out);
            out.println("</article>");
        }
        out.println("</section>");
    }

    /**
     * The finding's entry of docs/findings.md, folded under it: a link to the page would lead
     * nowhere from a report file opened away from the repository, and the project has no web site.
     */
    private static void explanation(FindingType type, PrintWriter out) {
        String where = "docs/findings.md, section &ldquo;" + type.id() + " " + type.title() + "&rdquo;";
        FindingDocs.html(type).ifPresentOrElse(html -> out.println("<details class=\"doc\" id=\"doc-"
                + type.id().toLowerCase(Locale.ROOT) + "\"><summary>What " + type.id() + " means and what to check "
                + "(" + where + ")</summary>" + html + "</details>"),
                () -> out.println("<p class=\"doc\">Explained in tcpstate's " + where + ".</p>"));
    }

    private static String number(Number value) {
        return value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d).replaceAll("\\.?0+$", "")
                : String.format(Locale.ROOT, "%,d", value.longValue());
    }

    private static void charts(Analysis analysis, TimeFormat times, PrintWriter out) {
        List<ConnectionRecord> records = analysis.records();
        Timeline timeline = analysis.timeline();
        // one axis for every time chart: the timeline's, which spans the capture
        TimeAxis axis = new TimeAxis(timeline.startNanos(), timeline.bucketNanos(), timeline.buckets(), times);
        long start = axis.start();
        long bucket = axis.bucket();
        out.println("<section id=\"charts\"><h2>Charts</h2><div class=\"charts\">");

        // connections by outcome over time (stacked, by start), each outcome in its colour
        Map<Outcome, double[]> byOutcome = new EnumMap<>(Outcome.class);
        for (ConnectionRecord record : records) {
            byOutcome.computeIfAbsent(record.outcome(), o -> new double[axis.buckets()])[index(record.tsNanos(), axis)]++;
        }
        List<Charts.Series> stacked = new ArrayList<>();
        byOutcome.forEach((outcome, series) -> stacked.add(new Charts.Series(outcome.label(), Colours.outcome(outcome),
                series)));
        out.println(Charts.stackedBars("Connections by outcome over time", "connections started per bar", stacked, axis,
                List.of()));

        // attempt rate with the flood windows shaded: each bar its mean; the peaks in real seconds
        Timeline.Peaks peaks = timeline.peaksPerSecond();
        List<long[]> floods = new ArrayList<>();
        analysis.findings().stream().filter(f -> f.type() == FindingType.SYN_FLOOD || f.type() == FindingType.SYN_FLOOD_SLOW)
                .forEach(f -> floods.add(new long[] {f.startNanos(), f.endNanos()}));
        out.println(Charts.stackedBars("SYN rate" + (floods.isEmpty() ? "" : " (flood shaded)") + String.format(
                Locale.ROOT, ": peak %,d attempts/s, %,d half-open attempts/s", peaks.attempts(),
                peaks.halfOpenAttempts()), "attempts/s, mean per bar",
                List.of(new Charts.Series("attempts/s", Colours.ATTEMPTS, timeline.synsPerSecond())), axis, floods));

        // TIME-WAIT per host over time (the five busiest hosts)
        long timeWait = analysis.settings().timeWaitNanos();
        Map<String, Integer> totals = new TreeMap<>();
        for (ConnectionRecord record : records) {
            record.originatorTimeWaitNanos().ifPresent(t -> totals.merge(record.originatorAddress(), 1, Integer::sum));
            record.responderTimeWaitNanos().ifPresent(t -> totals.merge(record.responderAddress(), 1, Integer::sum));
        }
        Map<String, double[]> perHost = new LinkedHashMap<>();
        totals.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
                .forEach(e -> perHost.put(e.getKey(), new double[axis.buckets()]));
        for (ConnectionRecord record : records) {
            count(perHost.get(record.originatorAddress()), record, record.originatorTimeWaitNanos(), timeWait, start,
                    bucket);
            count(perHost.get(record.responderAddress()), record, record.responderTimeWaitNanos(), timeWait, start,
                    bucket);
        }
        List<Charts.Series> hosts = new ArrayList<>();
        perHost.forEach((host, series) -> hosts.add(new Charts.Series(host, Colours.host(hosts.size()), series)));
        out.println(Charts.lines("TIME-WAIT per host", "endpoints in TIME-WAIT", hosts, axis,
                "no endpoint entered TIME-WAIT"));

        // handshake RTT distribution
        double[] rtts = records.stream().filter(r -> r.handshakeRttNanos().isPresent())
                .mapToDouble(r -> r.handshakeRttNanos().getAsLong() / 1e6).toArray();
        out.println(Charts.histogram("Handshake RTT", "handshake RTT in milliseconds (log scale)", rtts));
        out.println("</div></section>");
    }

    private static void count(double[] series, ConnectionRecord record, java.util.OptionalLong since, long length,
            long start, long bucket) {
        if (series == null || since.isEmpty()) {
            return;
        }
        long end = record.timeWaitEnd(since.getAsLong(), length);
        for (int b = 0; b < series.length; b++) {
            long at = start + (b + 1) * bucket;
            if (since.getAsLong() <= at && at < end) {
                series[b]++;
            }
        }
    }

    private static int index(long time, TimeAxis axis) {
        return (int) Math.max(0, Math.min(axis.buckets() - 1, (time - axis.start()) / axis.bucket()));
    }

    private static void table(List<ConnectionRecord> records, List<dev.tcpstate.detect.Finding> findings, long first,
            TimeFormat times, PrintWriter out) {
        List<ConnectionRecord> rows = records.subList(0, Math.min(MAX_ROWS, records.size()));
        // the findings that name each row's connection as an example (records do not carry them)
        Map<Long, java.util.Set<String>> named = new java.util.HashMap<>();
        rows.forEach(r -> named.put(r.id(), new java.util.TreeSet<>()));
        for (dev.tcpstate.detect.Finding finding : findings) {
            var ids = finding.connectionIds();
            for (int i = 0; i < ids.size(); i++) {
                java.util.Set<String> mine = named.get(ids.id(i));
                if (mine != null) {
                    mine.add(finding.type().id());
                }
            }
        }
        out.println("<section id=\"connections\"><h2>Connections (" + String.format(Locale.ROOT, "%,d", records.size())
                + ")</h2>");
        if (records.size() > MAX_ROWS) {
            out.println("<p>The first " + String.format(Locale.ROOT, "%,d", MAX_ROWS)
                    + " by start time; <code>tcpstate connections</code> lists them all.</p>");
        }
        out.println("<p class=\"hint\">Click a column to sort; again to reverse. uid sorts by record number, the "
                + "order records were made in (uids are random strings). The table scrolls sideways.</p>");
        out.println("<div class=\"scroll\"><table id=\"conns\" class=\"sortable\"><thead><tr>");
        String[][] columns = {{"uid", "num"}, {"start", "num"}, {"originator", "text"}, {"responder", "text"},
            {"zeek", "text"}, {"history", "text"}, {"outcome", "text"}, {"A end", "text"}, {"B end", "text"},
            {"duration s", "num"}, {"RTT ms", "num"}, {"SYN retries", "num"}, {"retransmits", "num"},
            {"packets", "num"}, {"bytes", "num"}, {"example of", "text"}};
        for (String[] column : columns) {
            out.print("<th data-type=\"" + column[1] + "\">" + Xml.escape(column[0]) + "</th>");
        }
        out.println("</tr></thead><tbody>");
        for (ConnectionRecord r : rows) {
            out.print("<tr id=\"" + r.uid() + "\" class=\"" + r.outcome().label() + "\">");
            // sort keys: uids are random, so the record number; times as nanoseconds into the capture
            cell(out, r.uid(), Long.toString(r.id()));
            cell(out, times.clockMicros(r.tsNanos()), Long.toString(r.tsNanos() - first));
            cell(out, ConnectionRecord.endpoint(r.originatorAddress(), r.originatorPort()));
            cell(out, r.service());
            cell(out, r.connState());
            cell(out, r.history());
            out.print("<td class=\"outcome\"><i class=\"swatch\" style=\"background:" + Colours.outcome(r.outcome())
                    + "\"></i>" + r.outcome().label() + "</td>");
            cell(out, r.originatorState().label());
            cell(out, r.responderState().label());
            cell(out, r.durationNanos().isPresent() ? String.format(Locale.ROOT, "%.6f", r.durationNanos().getAsLong() / 1e9) : "");
            cell(out, r.handshakeRttNanos().isPresent() ? String.format(Locale.ROOT, "%.3f", r.handshakeRttNanos().getAsLong() / 1e6) : "");
            cell(out, Integer.toString(r.synRetries()));
            cell(out, Long.toString(r.retransmits()));
            cell(out, Long.toString(r.originatorPackets() + r.responderPackets()));
            cell(out, r.originatorBytes().isPresent() ? Long.toString(r.originatorBytes().getAsLong()
                    + r.responderBytes().getAsLong()) : "");
            cell(out, String.join(" ", named.get(r.id())));
            out.println("</tr>");
        }
        out.println("</tbody></table></div></section>");
    }

    private static void cell(PrintWriter out, String text) {
        out.print("<td>" + Xml.escape(text) + "</td>");
    }

    /** A cell sorted by {@code key}, a number, rather than by its text. */
    private static void cell(PrintWriter out, String text, String key) {
        out.print("<td data-sort=\"" + key + "\">" + Xml.escape(text) + "</td>");
    }

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:0 24px 48px;color:#1b1b1b}
            header{border-bottom:2px solid #1b1b1b;margin-bottom:8px}header h1{margin:16px 0 0}header p{margin:4px 0 12px;color:#555}
            h2{margin-top:28px;border-bottom:1px solid #ccc}table.kv th{text-align:left;padding-right:16px;color:#555;font-weight:600}
            .finding{border-left:6px solid #999;background:#fafafa;padding:4px 14px;margin:12px 0}
            .finding.error{border-color:#c62828}.finding.warning{border-color:#ef6c00}.finding.note{border-color:#1565c0}
            .finding h3{margin:8px 0 4px;font-size:15px}.finding small{color:#555;font-weight:normal}
            .badge{font-size:11px;padding:1px 6px;border-radius:3px;color:#fff;background:#999}
            .error .badge{background:#c62828}.warning .badge{background:#ef6c00}.note .badge{background:#1565c0}
            .counts span{display:inline-block;background:#eee;border-radius:3px;padding:0 6px;margin:0 4px 4px 0;font-size:12px}
            .advice{color:#333}.evidence{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
            .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
            figure{margin:0;border:1px solid #ddd;padding:8px}figcaption{font-weight:600}
            .legend{list-style:none;margin:0;padding:0 0 0 48px;font-size:12px}.legend li{display:inline-block;margin-right:14px}
            .legend i,.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
            details.doc{margin:4px 0 10px;color:#333}details.doc summary{cursor:pointer;color:#0b5394}
            details.doc code,.advice code{background:#eee;padding:0 3px;border-radius:2px}
            #connections{width:calc(100vw - 48px);max-width:none;margin-left:calc(50% - 50vw + 24px)}
            table.sortable{border-collapse:collapse;font-size:12px;font-family:ui-monospace,Menlo,Consolas,monospace;min-width:100%}
            table.sortable th{background:#263238;color:#fff;cursor:pointer;position:sticky;top:0;padding:4px 6px;text-align:left;vertical-align:bottom}
            table.sortable th.asc::after{content:" \\25B2"}table.sortable th.desc::after{content:" \\25BC"}
            table.sortable td{padding:2px 6px;border-bottom:1px solid #eee;white-space:nowrap}
            tr.refused td,tr.unanswered td,tr.no-final-ack td,tr.reset-in-handshake td{color:#b71c1c}
            tr.half-open td{color:#e65100}tr:target td{background:#fff59d}.hint{color:#666;font-size:12px}
            .scroll{overflow:auto;max-height:80vh;max-width:100%;border:1px solid #ddd}
            """;

    private static final String SCRIPT = """
            (function(){
              var body=document.body;
              window.onerror=function(m){body.setAttribute('data-status','error: '+m);};
              function key(td,type){var t=td.hasAttribute('data-sort')?td.getAttribute('data-sort'):td.textContent;if(type==='num'){var n=parseFloat(t);return isNaN(n)?-Infinity:n;}return t;}
              function sortBy(table,col,dir){
                var th=table.tHead.rows[0].cells[col],type=th.getAttribute('data-type'),body=table.tBodies[0];
                var rows=Array.prototype.slice.call(body.rows);
                rows.sort(function(a,b){var x=key(a.cells[col],type),y=key(b.cells[col],type);return (x<y?-1:x>y?1:0)*dir;});
                rows.forEach(function(r){body.appendChild(r);});
                Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.classList.remove('asc','desc');});
                th.classList.add(dir>0?'asc':'desc');
              }
              Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(table){
                Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
                  th.addEventListener('click',function(){sortBy(table,i,th.classList.contains('asc')?-1:1);});
                });
              });
              if(location.hash==='#selftest'){
                var t=document.getElementById('conns'),ok=true;
                var cols=t.tHead.rows[0].cells.length;
                for(var c=0;c<cols&&t.tBodies[0].rows.length>1;c++){
                  var type=t.tHead.rows[0].cells[c].getAttribute('data-type');
                  sortBy(t,c,-1);
                  for(var r=1;r<t.tBodies[0].rows.length;r++){
                    if(key(t.tBodies[0].rows[r-1].cells[c],type)<key(t.tBodies[0].rows[r].cells[c],type)){ok=false;}
                  }
                }
                body.setAttribute('data-selftest',ok?'sorted':'unsorted');
              }
              if(body.getAttribute('data-status')==='loading'){body.setAttribute('data-status','ok');}
            })();
            """;
}
