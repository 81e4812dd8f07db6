package dev.tcpstate.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small inline-SVG charts for the HTML report: stacked bars over time, lines over time, a
 * histogram. The time charts share one {@link TimeAxis}; each series brings its colour, and the
 * legend is HTML under the picture (it wraps, and reads as text).
 */
final class Charts {
    private static final int W = 600;
    private static final int H = 266;
    private static final int LEFT = 56;
    private static final int RIGHT = 48;
    private static final int TOP = 12;
    private static final int BOTTOM = 46;
    private static final int PLOT = W - LEFT - RIGHT;
    /** Value ticks on the vertical axis: about this many intervals. */
    private static final int VALUE_INTERVALS = 4;

    /** A named series of values per bar, drawn in its meaning's colour. */
    record Series(String name, String colour, double[] values) {
    }

    private Charts() {
    }

    /** Series stacked per bar; {@code shaded} time ranges ([from, to] nanoseconds) drawn behind in red. */
    static String stackedBars(String title, String unit, List<Series> series, TimeAxis axis, List<long[]> shaded) {
        double max = 0;
        for (int b = 0; b < axis.buckets(); b++) {
            double sum = 0;
            for (Series s : series) {
                sum += b < s.values().length ? s.values()[b] : 0;
            }
            max = Math.max(max, sum);
        }
        double top = top(max);
        StringBuilder svg = new StringBuilder(header(title));
        for (long[] range : shaded) {
            double x0 = x(axis, Math.max(range[0], axis.start()));
            double x1 = x(axis, Math.min(Math.max(range[1], range[0]) + axis.bucket(), axis.end()));
            svg.append(String.format(Locale.ROOT, "<rect class=\"flood\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                    + "fill=\"%s\"><title>flood</title></rect>", x0, TOP, Math.max(1, x1 - x0), H - TOP - BOTTOM,
                    Colours.FLOOD));
        }
        valueAxis(svg, unit, top);
        timeAxis(svg, axis);
        double width = (double) PLOT / axis.buckets();
        double[] base = new double[axis.buckets()];
        for (Series s : series) {
            double[] values = s.values();
            for (int b = 0; b < Math.min(values.length, axis.buckets()); b++) {
                if (values[b] <= 0) {
                    continue;
                }
                double y0 = y(base[b], top);
                double y1 = y(base[b] + values[b], top);
                svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-series=\"%s\" x=\"%.1f\" y=\"%.1f\" "
                        + "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>", Xml.escape(s.name()),
                        LEFT + b * width + 0.5, y1, Math.max(0.5, width - 1), y0 - y1, s.colour(), Xml.escape(s.name()),
                        format(values[b])));
                base[b] += values[b];
            }
        }
        return close(svg, series);
    }

    /**
     * A line per series through each bar's end (the count at that moment), from zero at the
     * axis's start; {@code empty} is said in the middle when there is no series.
     */
    static String lines(String title, String unit, List<Series> series, TimeAxis axis, String empty) {
        double max = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.values())).max().orElse(0);
        double top = top(max);
        StringBuilder svg = new StringBuilder(header(title));
        valueAxis(svg, unit, top);
        timeAxis(svg, axis);
        for (Series s : series) {
            StringBuilder points = new StringBuilder(String.format(Locale.ROOT, "%d,%.1f", LEFT, y(0, top)));
            double[] values = s.values();
            for (int b = 0; b < Math.min(values.length, axis.buckets()); b++) {
                points.append(String.format(Locale.ROOT, " %.1f,%.1f", x(axis, axis.start() + (b + 1) * axis.bucket()),
                        y(values[b], top)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline data-series=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\" points=\"%s\"><title>%s</title></polyline>", Xml.escape(s.name()), s.colour(),
                    points, Xml.escape(s.name())));
        }
        if (series.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#777\">%s</text>",
                    LEFT + PLOT / 2, H / 2, Xml.escape(empty)));
        }
        return close(svg, series);
    }

    /** Counts of {@code values} in bins spaced evenly on a log scale (values &gt; 0), ticks at 1, 2, 5 of each decade. */
    static String histogram(String title, String unit, double[] values) {
        StringBuilder svg = new StringBuilder(header(title));
        if (values.length == 0) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#777\">"
                    + "no completed handshake</text>", LEFT + PLOT / 2, H / 2));
            return close(svg, List.of());
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
        double top = top(java.util.Arrays.stream(counts).max().orElse(1));
        valueAxis(svg, "connections", top);
        double width = (double) PLOT / bins;
        for (int b = 0; b < bins; b++) {
            double from = Math.pow(10, lo + (hi - lo) * b / bins);
            double to = Math.pow(10, lo + (hi - lo) * (b + 1) / bins);
            if (counts[b] > 0) {
                svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        + "height=\"%.1f\" fill=\"%s\"><title>%s–%s ms: %s</title></rect>", LEFT + b * width + 0.5,
                        y(counts[b], top), Math.max(0.5, width - 1), y(0, top) - y(counts[b], top), Colours.RTT,
                        format(from), format(to), format(counts[b])));
            }
        }
        baseline(svg);
        List<Double> ticks = logTicks(lo, hi);
        for (double tick : ticks) {
            double x = LEFT + (Math.log10(tick) - lo) / (hi - lo) * PLOT;
            xTick(svg, x, format(tick));
        }
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                + "fill=\"#555\">%s; %d handshakes, median %s ms</text>", LEFT + PLOT / 2, H - 8, Xml.escape(unit),
                values.length, format(median(values))));
        return close(svg, List.of());
    }

    /** 1, 2 and 5 of each decade in [10^lo, 10^hi]; only the powers of ten when those are too many. */
    static List<Double> logTicks(double lo, double hi) {
        List<Double> all = new ArrayList<>();
        List<Double> decades = new ArrayList<>();
        for (int decade = (int) Math.floor(lo); decade <= Math.ceil(hi); decade++) {
            for (int m : new int[] {1, 2, 5}) {
                double value = m * Math.pow(10, decade);
                double log = Math.log10(value);
                if (log >= lo - 1e-9 && log <= hi + 1e-9) {
                    all.add(value);
                    if (m == 1) {
                        decades.add(value);
                    }
                }
            }
        }
        return all.size() <= 7 || decades.size() < 2 ? all : decades;
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

    /** Ticks at the axis's round times, and its title naming the zone. */
    private static void timeAxis(StringBuilder svg, TimeAxis axis) {
        baseline(svg);
        for (TimeAxis.Tick tick : axis.ticks()) {
            xTick(svg, x(axis, tick.nanos()), tick.label());
        }
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                + "fill=\"#555\">%s</text>", LEFT + PLOT / 2, H - 8, Xml.escape(axis.title())));
    }

    private static void baseline(StringBuilder svg) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT,
                H - BOTTOM, W - RIGHT, H - BOTTOM));
    }

    private static void xTick(StringBuilder svg, double x, String label) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>"
                + "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, H - BOTTOM, x,
                H - BOTTOM + 4, x, H - BOTTOM + 16, Xml.escape(label)));
    }

    /** The vertical axis from 0 to {@code top}, with ticks and faint grid lines at round values. */
    private static void valueAxis(StringBuilder svg, String unit, double top) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT, TOP,
                LEFT, H - BOTTOM));
        double step = step(top);
        for (int i = 0; i * step <= top * (1 + 1e-9); i++) {
            double y = y(i * step, top);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text class=\"value-tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT + 1, y,
                    W - RIGHT, y, LEFT - 4, y + 4, format(i * step)));
        }
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\" "
                + "fill=\"#555\">%s</text>", (TOP + H - BOTTOM) / 2, Xml.escape(unit)));
    }

    /** A round step (1, 2 or 5 times a power of ten, at least 1) giving about {@link #VALUE_INTERVALS} intervals. */
    static double step(double max) {
        double raw = Math.max(1, max / VALUE_INTERVALS);
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /** The top of the vertical axis: {@code max} rounded up to a tick. */
    static double top(double max) {
        double step = step(max);
        return Math.max(step, Math.ceil(max / step) * step);
    }

    /** The legend, as HTML under the picture: a swatch in each series' colour and its name. */
    private static String close(StringBuilder svg, List<Series> series) {
        svg.append("</svg>");
        if (!series.isEmpty()) {
            svg.append("<ul class=\"legend\">");
            for (Series s : series) {
                svg.append("<li data-series=\"").append(Xml.escape(s.name())).append("\" data-colour=\"")
                        .append(s.colour()).append("\"><i style=\"background:").append(s.colour()).append("\"></i>")
                        .append(Xml.escape(s.name())).append("</li>");
            }
            svg.append("</ul>");
        }
        return svg.append("</figure>").toString();
    }

    private static double x(TimeAxis axis, long nanos) {
        return LEFT + axis.fraction(nanos) * PLOT;
    }

    private static double y(double value, double top) {
        return H - BOTTOM - (top <= 0 ? 0 : value / top * (H - TOP - BOTTOM));
    }

    /** A duration as people read it: 0.0833 s, 2 ms, 40 µs. */
    static String duration(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return format(nanos / 1e9) + " s";
        }
        if (nanos >= 1_000_000L) {
            return format(nanos / 1e6) + " ms";
        }
        return format(nanos / 1e3) + " µs";
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        // three significant digits, never an exponent: 42.9, 0.0833, 0.00012
        return new java.math.BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
