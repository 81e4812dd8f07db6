package dev.tcpstate.report;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How times are written for people ({@code --tz}): ISO-8601 in one zone, every time with its
 * offset ({@code Z} for UTC, {@code +01:00}), so that no printed time is ambiguous. Machine
 * formats do not use it: they write epoch seconds ({@link Times}).
 */
public final class TimeFormat {
    public static final TimeFormat UTC = new TimeFormat(ZoneOffset.UTC);

    /** What {@link #parse} accepts, for usage errors. */
    public static final String FORMS = "utc, local, a zone id such as Europe/Paris, or an offset such as +01:00";

    private final ZoneId zone;
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter millis;
    private final DateTimeFormatter micros;
    private final DateTimeFormatter seconds;

    private TimeFormat(ZoneId zone) {
        this.zone = zone;
        this.dateTime = formatter("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");
        this.millis = formatter("HH:mm:ss.SSSXXX");
        this.micros = formatter("HH:mm:ss.SSSSSSXXX");
        this.seconds = formatter("HH:mm:ssXXX");
    }

    private DateTimeFormatter formatter(String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(zone);
    }

    public static TimeFormat of(ZoneId zone) {
        return new TimeFormat(zone.normalized());
    }

    /**
     * {@code utc}, {@code local} (this machine's zone), a zone id ({@code Europe/Paris}) or an
     * offset ({@code +01:00}); anything else is an {@link IllegalArgumentException}.
     */
    public static TimeFormat parse(String text) {
        String name = text.strip();
        if (name.equalsIgnoreCase("utc") || name.equalsIgnoreCase("z")) {
            return UTC;
        }
        if (name.equalsIgnoreCase("local")) {
            return new TimeFormat(ZoneId.systemDefault());
        }
        try {
            return of(ZoneId.of(name));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--tz " + text + " (expected: " + FORMS + ")");
        }
    }

    public ZoneId zone() {
        return zone;
    }

    /** The zone as a header names it: "UTC", or "Europe/Paris (+01:00)" with the offset at {@code nanos}. */
    public String describe(long nanos) {
        if (zone.equals(ZoneOffset.UTC)) {
            return "UTC";
        }
        String offset = offset(nanos);
        return zone instanceof ZoneOffset ? "UTC" + offset : zone.getId() + " (" + offset + ")";
    }

    /** The offset at {@code nanos}: {@code Z} or {@code +01:00}, as the times carry it. */
    public String offset(long nanos) {
        return formatter("XXX").format(instant(nanos));
    }

    /** Date and time to the nanosecond: {@code 2026-12-03T16:20:00.123456789+01:00}. */
    public String dateTime(long nanos) {
        return dateTime.format(instant(nanos));
    }

    /** Time of day to the millisecond: {@code 16:20:00.123+01:00}. */
    public String clock(long nanos) {
        return millis.format(instant(nanos));
    }

    /** Time of day to the microsecond: {@code 16:20:00.123456+01:00}. */
    public String clockMicros(long nanos) {
        return micros.format(instant(nanos));
    }

    /** Time of day to the second: {@code 16:20:00+01:00}. */
    public String clockSeconds(long nanos) {
        return seconds.format(instant(nanos));
    }

    /** Seconds east of UTC at {@code nanos}: where a day, an hour, a minute begins in this zone. */
    long offsetSeconds(long nanos) {
        return zone.getRules().getOffset(instant(nanos)).getTotalSeconds();
    }

    /** Time of day without the offset, to {@code fraction} digits (0 to 9): tick labels under an axis naming its zone. */
    String bareClock(long nanos, int fraction) {
        return formatter(fraction == 0 ? "HH:mm:ss" : "HH:mm:ss." + "S".repeat(fraction)).format(instant(nanos));
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
