package dev.tcpstate.report;

/** A series as one line of block characters (or ASCII), scaled to its own maximum. */
public final class Sparkline {
    private static final String BLOCKS = "▁▂▃▄▅▆▇█";
    private static final String ASCII = ".:-=+*#@";

    private Sparkline() {
    }

    /** Zero is a blank; any other value at least the lowest mark, the maximum the highest. */
    public static String of(double[] values, boolean unicode) {
        String marks = unicode ? BLOCKS : ASCII;
        double max = 0;
        for (double value : values) {
            max = Math.max(max, value);
        }
        StringBuilder line = new StringBuilder(values.length);
        for (double value : values) {
            if (value <= 0) {
                line.append(' ');
            } else {
                int level = (int) Math.ceil(value / max * marks.length()) - 1;
                line.append(marks.charAt(Math.max(0, Math.min(marks.length() - 1, level))));
            }
        }
        return line.toString();
    }

    public static String of(long[] values, boolean unicode) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return of(doubles, unicode);
    }
}
