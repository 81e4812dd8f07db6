package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code --tz}: every time printed for people carries its zone (UTC by default, as Z), in the zone
 * asked for; the machine formats keep epoch seconds whatever it says; a zone that is none is a
 * usage error naming the valid forms.
 */
class TimeZoneOptionTest {
    private static final String FLOOD = Environment.samples().resolve("syn-flood.pcap").toString();
    private static final String CLOSE = Environment.samples().resolve("client-close.pcap").toString();
    /** A time of day as people read it, with or without its zone after it. */
    private static final Pattern CLOCK = Pattern.compile("(?<![\\d:])\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)?");

    private static String out(String... args) {
        Result result = run(args);
        assertThat(result.code()).as(result.err()).isZero();
        return result.out();
    }

    /** Every time in {@code text} ends with {@code zone}. */
    private static void everyTimeIn(String text, String zone) {
        Matcher times = CLOCK.matcher(text);
        int found = 0;
        while (times.find()) {
            assertThat(times.group(1)).as("zone of %s in:%n%s", times.group(), text).isEqualTo(zone);
            found++;
        }
        assertThat(found).as(text).isPositive();
    }

    @Test
    void theDefaultIsUtcAndSaysSo() {
        everyTimeIn(out("analyze", "--width", "100", FLOOD), "Z");
        everyTimeIn(out("stats", FLOOD), "Z");
        everyTimeIn(out("connections", "--width", "200", CLOSE), "Z");
        everyTimeIn(out("analyze", "--tz", "utc", "--width", "100", FLOOD), "Z");
    }

    @Test
    void aZoneOrAnOffsetMovesEveryTimeForPeople() {
        String analyze = out("analyze", "--tz", "Europe/Paris", "--width", "100", FLOOD);
        everyTimeIn(analyze, "+01:00");
        assertThat(analyze).contains("2026-11-23T12:38:06.816333000+01:00").contains("12:38:06.816+01:00 .. ");
        everyTimeIn(out("stats", "--tz", "+05:30", FLOOD), "+05:30");
        everyTimeIn(out("connections", "--tz", "-03:00", "--width", "200", CLOSE), "-03:00");
        String ladder = out("ladder", "--tz", "Europe/Paris", "--tuple", "10.200.0.1:40000-10.200.0.2:8080", CLOSE);
        assertThat(ladder).contains("first packet 2026-11-23T12:37:30.002682000+01:00");
        assertThat(out("ladder", "--tz", "Europe/Paris", "--format", "svg", "--tuple",
                "10.200.0.1:40000-10.200.0.2:8080", CLOSE)).contains("2026-11-23T12:37:30.002682000+01:00");
    }

    @Test
    void machineFormatsKeepEpochSeconds() {
        for (String format : new String[] {"ndjson", "csv", "json", "zeek"}) {
            assertThat(out("connections", "--uid-seed", "1", "--tz", "Europe/Paris", "--format", format, CLOSE))
                    .as(format).isEqualTo(out("connections", "--uid-seed", "1", "--format", format, CLOSE));
        }
        assertThat(out("analyze", "--uid-seed", "1", "--tz", "+05:30", "--format", "json", FLOOD))
                .isEqualTo(out("analyze", "--uid-seed", "1", "--format", "json", FLOOD));
        assertThat(out("stats", "--tz", "+05:30", "--format", "json", FLOOD))
                .isEqualTo(out("stats", "--format", "json", FLOOD));
    }

    @Test
    void aZoneThatIsNoneIsAUsageError() {
        for (String command : new String[] {"analyze", "connections", "stats", "shell"}) {
            Result result = run(command, "--tz", "Mars/Olympus", FLOOD);
            assertThat(result.code()).as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(result.err().lines().findFirst()).hasValue("tcpstate: --tz Mars/Olympus (expected: utc, local, "
                    + "a zone id such as Europe/Paris, or an offset such as +01:00)");
            assertThat(result.err().lines()).hasSize(2);
        }
    }
}
