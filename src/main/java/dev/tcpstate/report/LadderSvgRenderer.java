package dev.tcpstate.report;

import dev.tcpstate.analysis.Ladder;
import dev.tcpstate.flow.ConnectionRecord;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The ladder as one self-contained SVG picture: A and B as vertical lines, time down the page,
 * each segment an arrow slanting down from its sender to its receiver with RFC 793's notation on
 * it, both states after it beside the lines, remarks in red under the arrow.
 */
public final class LadderSvgRenderer {
    private static final int WIDTH = 1000;
    private static final int A = 230;
    private static final int B = 770;
    private static final int ROW = 56;
    private static final int TOP = 110;

    private LadderSvgRenderer() {
    }

    public static void render(Ladder ladder, boolean absolute, TimeFormat times, PrintWriter out) {
        ConnectionRecord record = ladder.record();
        int rows = ladder.steps().size() + 1;
        int height = TOP + rows * ROW + 40;
        out.printf(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">%n",
                WIDTH, height, WIDTH, height);
        out.println("  <title>" + Xml.escape("tcpstate ladder " + record.uid()) + "</title>");
        out.println("  <defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
                + "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#333\"/></marker></defs>");
        out.printf(Locale.ROOT, "  <rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height);
        text(out, 20, 24, "start", "bold", "#000", "connection " + record.uid() + ": A "
                + ConnectionRecord.endpoint(record.originatorAddress(), record.originatorPort()) + " > B " + record.service());
        text(out, 20, 42, "start", "normal", "#444", "zeek " + record.connState() + " " + record.history() + ", outcome "
                + record.outcome().label() + ", " + times.dateTime(record.tsNanos()));
        text(out, A, 78, "middle", "bold", "#000", "TCP A");
        text(out, B, 78, "middle", "bold", "#000", "TCP B");
        out.printf(Locale.ROOT, "  <line x1=\"%d\" y1=\"88\" x2=\"%d\" y2=\"%d\" stroke=\"#000\" stroke-width=\"2\"/>%n",
                A, A, height - 30);
        out.printf(Locale.ROOT, "  <line x1=\"%d\" y1=\"88\" x2=\"%d\" y2=\"%d\" stroke=\"#000\" stroke-width=\"2\"/>%n",
                B, B, height - 30);
        long start = record.tsNanos();
        int y = TOP;
        for (Ladder.Step step : ladder.steps()) {
            int from = step.fromOriginator() ? A : B;
            int to = step.fromOriginator() ? B : A;
            boolean odd = !step.remarks().stream().allMatch(r -> r.startsWith("A: ") || r.startsWith("B: "));
            String colour = odd ? "#b00020" : "#333";
            out.printf(Locale.ROOT, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\" "
                    + "marker-end=\"url(#head)\"/>%n", from, y, to, y + 22, colour);
            text(out, (A + B) / 2, y + 6, "middle", "normal", colour, LadderTextRenderer.segment(step, ladder, absolute));
            text(out, 12, y + 14, "start", "normal", "#666", LadderTextRenderer.offset(step.timeNanos() - start));
            text(out, A - 8, y + 26, "end", "bold", "#0b5394", step.originatorState().rfcName());
            text(out, B + 8, y + 26, "start", "bold", "#0b5394", step.responderState().rfcName());
            String remarks = String.join("; ", step.remarks().stream()
                    .filter(r -> !(r.startsWith("A: ") || r.startsWith("B: "))).toList());
            if (!remarks.isEmpty()) {
                text(out, (A + B) / 2, y + 36, "middle", "normal", "#b00020", remarks);
            }
            y += ROW;
        }
        text(out, 12, y + 14, "start", "normal", "#666", LadderTextRenderer.offset(ladder.captureEndNanos() - start));
        text(out, (A + B) / 2, y + 14, "middle", "italic", "#666", "end of capture");
        text(out, A - 8, y + 14, "end", "bold", "#0b5394", record.originatorState().rfcName());
        text(out, B + 8, y + 14, "start", "bold", "#0b5394", record.responderState().rfcName());
        out.println("</svg>");
        out.flush();
    }

    private static void text(PrintWriter out, int x, int y, String anchor, String weight, String fill, String text) {
        String style = weight.equals("italic") ? "font-style=\"italic\"" : "font-weight=\"" + weight + "\"";
        out.printf(Locale.ROOT, "  <text x=\"%d\" y=\"%d\" text-anchor=\"%s\" %s fill=\"%s\">%s</text>%n", x, y, anchor,
                style, fill, Xml.escape(text));
    }

}
