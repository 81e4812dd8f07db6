package dev.tcpstate.report;

/**
 * How machine formats write times and durations: epoch seconds with nanoseconds, Zeek's times.
 * Times for people, in a zone, are {@link TimeFormat}'s.
 */
public final class Times {
    private Times() {
    }

    /** Epoch seconds as a decimal with nine fractional digits, e.g. {@code 1700000000.123456789}. */
    public static String epochSeconds(long epochNanos) {
        return seconds(epochNanos);
    }

    /** A nanosecond duration as seconds with nine fractional digits. */
    public static String seconds(long nanos) {
        return decimal(nanos, 1_000_000_000L, 9);
    }

    /** {@code value / unit} with {@code digits} fractional digits, exactly (no floating point, no Formatter). */
    private static String decimal(long value, long unit, int digits) {
        StringBuilder text = new StringBuilder(24);
        appendDecimal(value, unit, digits, text);
        return text.toString();
    }

    /** Appends {@code value / unit} with {@code digits} fractional digits, as {@link #seconds} writes it. */
    static void appendDecimal(long value, long unit, int digits, StringBuilder text) {
        long magnitude = Math.abs(value);
        long fraction = magnitude % unit;
        if (value < 0) {
            text.append('-');
        }
        text.append(magnitude / unit).append('.');
        int length = text.length();
        text.append(fraction);
        for (int pad = text.length() - length; pad < digits; pad++) {
            text.insert(length, '0');
        }
    }

    /**
     * Epoch seconds as Zeek's conn.log writes a {@code time}: the packet time as Zeek holds it (a
     * double of whole microseconds, libpcap truncating finer stamps) with six decimals.
     */
    public static String zeekTime(long epochNanos) {
        return sixDecimals(zeekDouble(epochNanos));
    }

    /** {@code end - start} as Zeek's conn.log writes an {@code interval}: the difference of the two doubles. */
    public static String zeekInterval(long startNanos, long endNanos) {
        return sixDecimals(zeekDouble(endNanos) - zeekDouble(startNanos));
    }

    private static double zeekDouble(long epochNanos) {
        return (double) Math.floorDiv(epochNanos, 1_000_000_000L)
                + (double) (Math.floorMod(epochNanos, 1_000_000_000L) / 1000) / 1e6;
    }

    /** What C++'s {@code std::to_chars(d, fixed, 6)} (Zeek's formatter) writes: the exact value rounded. */
    private static String sixDecimals(double value) {
        return new java.math.BigDecimal(value).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** A nanosecond duration as milliseconds with six fractional digits (whole nanoseconds). */
    public static String milliseconds(long nanos) {
        return decimal(nanos, 1_000_000L, 6);
    }
}
