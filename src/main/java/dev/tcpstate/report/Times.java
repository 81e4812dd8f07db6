package dev.tcpstate.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How reports write times: ISO-8601 UTC for people, epoch seconds with nanoseconds for tools. */
public final class Times {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String iso(long epochNanos) {
        return ISO.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)));
    }

    /** Epoch seconds as a decimal with nine fractional digits, e.g. {@code 1700000000.123456789}. */
    public static String epochSeconds(long epochNanos) {
        return seconds(epochNanos);
    }

    /** A nanosecond duration as seconds with nine fractional digits. */
    public static String seconds(long nanos) {
        String sign = nanos < 0 ? "-" : "";
        long magnitude = Math.abs(nanos);
        return sign + magnitude / 1_000_000_000L + "." + String.format("%09d", magnitude % 1_000_000_000L);
    }

    /** A nanosecond duration as milliseconds with six fractional digits (whole nanoseconds). */
    public static String milliseconds(long nanos) {
        String sign = nanos < 0 ? "-" : "";
        long magnitude = Math.abs(nanos);
        return sign + magnitude / 1_000_000L + "." + String.format("%06d", magnitude % 1_000_000L);
    }
}
