package dev.tcpstate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Every time written for people carries its zone's offset; the zone is one of the forms --tz names. */
class TimeFormatTest {
    private static final long WINTER = nanos("2026-11-23T11:38:06.816391123Z");
    private static final long SUMMER = nanos("2026-07-01T11:38:06.816391123Z");

    private static long nanos(String iso) {
        Instant instant = Instant.parse(iso);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Test
    void utcTimesEndInZ() {
        TimeFormat utc = TimeFormat.parse("utc");
        assertThat(utc.dateTime(WINTER)).isEqualTo("2026-11-23T11:38:06.816391123Z");
        assertThat(utc.clock(WINTER)).isEqualTo("11:38:06.816Z");
        assertThat(utc.clockMicros(WINTER)).isEqualTo("11:38:06.816391Z");
        assertThat(utc.clockSeconds(WINTER)).isEqualTo("11:38:06Z");
        assertThat(utc.describe(WINTER)).isEqualTo("UTC");
        assertThat(TimeFormat.parse("UTC").zone()).isEqualTo(TimeFormat.UTC.zone());
    }

    @Test
    void aZoneIdWritesTheOffsetOfEachTime() {
        TimeFormat paris = TimeFormat.parse("Europe/Paris");
        assertThat(paris.dateTime(WINTER)).isEqualTo("2026-11-23T12:38:06.816391123+01:00");
        assertThat(paris.clock(SUMMER)).isEqualTo("13:38:06.816+02:00");
        assertThat(paris.describe(WINTER)).isEqualTo("Europe/Paris (+01:00)");
    }

    @Test
    void anOffsetIsItsOwnZone() {
        TimeFormat india = TimeFormat.parse("+05:30");
        assertThat(india.clock(WINTER)).isEqualTo("17:08:06.816+05:30");
        assertThat(india.describe(WINTER)).isEqualTo("UTC+05:30");
    }

    @Test
    void localIsThisMachinesZone() {
        assertThat(TimeFormat.parse("local").zone()).isEqualTo(ZoneId.systemDefault());
    }

    @Test
    void anythingElseNamesTheValidForms() {
        assertThatThrownBy(() -> TimeFormat.parse("Mars/Olympus")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--tz Mars/Olympus (expected: utc, local, a zone id such as Europe/Paris, or an offset "
                        + "such as +01:00)");
        assertThatThrownBy(() -> TimeFormat.parse("+25:00")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeAxisTicksFallOnRoundTimesOfTheZone() {
        long start = nanos("2026-11-23T11:38:06.816Z");
        // 60 bars of 83.3 ms: 5 s, ticks each second
        TimeAxis axis = new TimeAxis(start, 83_333_334L, 60, TimeFormat.UTC);
        assertThat(axis.step()).isEqualTo(1_000_000_000L);
        assertThat(axis.ticks()).extracting(TimeAxis.Tick::label)
                .containsExactly("11:38:07", "11:38:08", "11:38:09", "11:38:10", "11:38:11");
        // 200 ms: ticks every 50 ms, with the milliseconds
        TimeAxis shortAxis = new TimeAxis(start, 3_333_334L, 60, TimeFormat.UTC);
        assertThat(shortAxis.ticks()).extracting(TimeAxis.Tick::label).containsExactly("11:38:06.85", "11:38:06.90", "11:38:06.95", "11:38:07.00");
        // three hours in India: ticks on its whole hours, not UTC's
        TimeAxis hours = new TimeAxis(start, 180_000_000_000L, 60, TimeFormat.parse("+05:30"));
        assertThat(hours.ticks()).extracting(TimeAxis.Tick::label).allMatch(label -> label.endsWith(":00:00"));
        assertThat(hours.title()).isEqualTo("time in UTC+05:30; bars of 180 s");
    }

    @Test
    void logTicksAreOneTwoFiveOfEachDecade() {
        assertThat(Charts.logTicks(Math.log10(0.018), Math.log10(0.6))).containsExactly(0.02, 0.05, 0.1, 0.2, 0.5);
    }
}
