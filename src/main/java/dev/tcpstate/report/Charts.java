package dev.tcpstate.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small inline-SVG charts for the HTML report: stacked bars over time, lines over time, a histogram. */
final class Charts {
    private static final int W = 560;
    private static final int H = 260;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 40;

    private Charts() {
    }

    /** Series stacked per bucket; {@code shaded} time ranges ([from, to] nanoseconds) drawn behind in red. */
    static String stackedBars(String title, String unit, Map<String, double[]> series, long start, long bucket,
            List<long[]> shaded) {
        int buckets = series.values().stream().mapToInt(s -> s.length).max().orElse(1);
        double max = 0;
        for (int b = 0; b < buckets; b++) {
            double sum = 0;
            for (double[] s : series.values()) {
                sum += b < s.length ? s[b] : 0;
            }
            max = Math.max(max, sum);
        }
        StringBuilder svg = open(title, unit, max, start, bucket, buckets);
        double width = (double) (W - LEFT - RIGHT) / buckets;
        for (long[] range : shaded) {
            double x0 = LEFT + Math.max(0, (range[0] - start) / (double) bucket) * width;
            double x1 = LEFT + Math.min(buckets, (range[1] - start) / (double) bucket + 1) * width;
            svg.append(String.format(Locale.ROOT, "<rect class=\"flood\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                    + "fill=\"#ffcdd2\"><title>flood</title></rect>", x0, TOP, Math.max(1, x1 - x0), H - TOP - BOTTOM));
        }
        double[] base = new double[buckets];
        int colour = 0;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            String fill = HtmlRenderer.palette(colour++);
            double[] s = entry.getValue();
            for (int b = 0; b < s.length; b++) {
                if (s[b] <= 0) {
                    continue;
                }
                double y0 = y(base[b], max);
                double y1 = y(base[b] + s[b], max);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                        + "<title>%s: %s</title></rect>", LEFT + b * width + 0.5, y1, Math.max(0.5, width - 1), y0 - y1,
                        fill, Xml.escape(entry.getKey()), format(s[b])));
                base[b] += s[b];
            }
        }
        return close(svg, series.keySet());
    }

    static String lines(String title, String unit, Map<String, double[]> series, long start, long bucket) {
        int buckets = series.values().stream().mapToInt(s -> s.length).max().orElse(1);
        double max = series.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(0);
        StringBuilder svg = open(title, unit, max, start, bucket, buckets);
        double width = (double) (W - LEFT - RIGHT) / buckets;
        int colour = 0;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            StringBuilder points = new StringBuilder();
            double[] s = entry.getValue();
            for (int b = 0; b < s.length; b++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + (b + 0.5) * width, y(s[b], max)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\">"
                    + "<title>%s</title></polyline>", HtmlRenderer.palette(colour++), points.toString().trim(),
                    Xml.escape(entry.getKey())));
        }
        if (series.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#777\">"
                    + "no endpoint entered TIME-WAIT</text>", (LEFT + W - RIGHT) / 2, H / 2));
        }
        return close(svg, series.keySet());
    }

    /** Counts of {@code values} in bins spaced evenly on a log scale (values &gt; 0). */
    static String histogram(String title, String unit, double[] values) {
        StringBuilder svg = new StringBuilder(header(title));
        if (values.length == 0) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#777\">"
                    + "no completed handshake</text>", W / 2, H / 2));
            return svg.append("</svg></figure>").toString();
        }
        double lo = Math.log10(java.util.Arrays.stream(values).filter(v -> v > 0).min().orElse(0.001));
        double hi = Math.log10(java.util.Arrays.stream(values).max().orElse(1));
        lo = Math.floor(lo * 4) / 4;
        hi = Math.max(lo + 0.25, Math.ceil(hi * 4) / 4 + 0.0001);
        int bins = (int) Math.round((hi - lo) * 4);
        bins = Math.max(1, Math.min(40, bins));
        double[] counts = new double[bins];
        for (double v : values) {
            int b = (int) ((Math.log10(Math.max(v, 1e-9)) - lo) / (hi - lo) * bins);
            counts[Math.max(0, Math.min(bins - 1, b))]++;
        }
        double max = java.util.Arrays.stream(counts).max().orElse(1);
        axes(svg, "connections", max);
        double width = (double) (W - LEFT - RIGHT) / bins;
        for (int b = 0; b < bins; b++) {
            double from = Math.pow(10, lo + (hi - lo) * b / bins);
            double to = Math.pow(10, lo + (hi - lo) * (b + 1) / bins);
            if (counts[b] > 0) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"#1565c0\"><title>%s–%s ms: %s</title></rect>", LEFT + b * width + 0.5, y(counts[b], max),
                        Math.max(0.5, width - 1), y(0, max) - y(counts[b], max), format(from), format(to), format(counts[b])));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s ms</text>", LEFT, H - BOTTOM + 14,
                format(Math.pow(10, lo))));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s ms</text>",
                W - RIGHT, H - BOTTOM + 14, format(Math.pow(10, hi))));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">"
                + "%s; %d handshakes, median %s ms</text>", (LEFT + W) / 2, H - 6, Xml.escape(unit), values.length,
                format(median(values))));
        return svg.append("</svg></figure>").toString();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String header(String title) {
        return String.format(Locale.ROOT, "<figure><figcaption>%s</figcaption><svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                + "viewBox=\"0 0 %d %d\" width=\"100%%\" font-family=\"system-ui,sans-serif\" font-size=\"11\">", Xml.escape(title),
                W, H);
    }

    private static StringBuilder open(String title, String unit, double max, long start, long bucket, int buckets) {
        StringBuilder svg = new StringBuilder(header(title));
        axes(svg, unit, max);
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", LEFT, H - BOTTOM + 14,
                Times.iso(start).substring(11, 23)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", W - RIGHT,
                H - BOTTOM + 14, Times.iso(start + buckets * bucket).substring(11, 23)));
        return svg;
    }

    private static void axes(StringBuilder svg, String unit, double max) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT, TOP,
                LEFT, H - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT,
                H - BOTTOM, W - RIGHT, H - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", LEFT - 4, TOP + 8,
                format(max)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>", LEFT - 4, H - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\" "
                + "fill=\"#555\">%s</text>", (TOP + H - BOTTOM) / 2, Xml.escape(unit)));
    }

    private static String close(StringBuilder svg, java.util.Set<String> names) {
        int x = LEFT;
        int colour = 0;
        for (String name : names) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>", x, H - 14, HtmlRenderer.palette(colour++), x + 14, H - 5,
                    Xml.escape(name)));
            x += 24 + name.length() * 7;
        }
        return svg.append("</svg></figure>").toString();
    }

    private static double y(double value, double max) {
        return H - BOTTOM - (max <= 0 ? 0 : value / max * (H - TOP - BOTTOM));
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, value < 1 ? "%.3f" : "%.1f", value);
    }
}
