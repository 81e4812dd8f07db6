package dev.tcpstate.cli;

import dev.tcpstate.report.TimeFormat;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --tz ZONE}, for the commands that print times for people. Machine formats (json, ndjson,
 * csv, zeek) keep epoch seconds whatever it says.
 */
final class TimeZoneOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private TimeFormat times = TimeFormat.UTC;

    @Option(names = "--tz", paramLabel = "ZONE",
            description = "Zone of the times printed for people: utc (default), local (this machine's), a zone id "
                    + "(Europe/Paris) or an offset (+01:00). Each time carries its offset (Z for UTC).")
    void zone(String text) {
        try {
            times = TimeFormat.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    TimeFormat times() {
        return times;
    }
}
