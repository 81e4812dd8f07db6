package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.detect.DetectorSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The detector options' defaults are the library's: one source, whichever command parses them. */
class DetectorDefaultsTest {
    @Test
    void everyCommandWithDetectorOptionsParsesToTheLibrarysDefaults() {
        for (Object command : List.of(new AnalyzeCommand(), new CheckCommand(), new ShellCommand(),
                new WatchCommand())) {
            CommandLine line = new CommandLine(command);
            List<String> args = command instanceof WatchCommand ? List.of("-i", "lo") : List.of("x.pcap");
            line.parseArgs(args.toArray(String[]::new));
            DetectorOptions options = detectorOptions(command);
            assertThat(options.settings()).as(line.getCommandName()).isEqualTo(DetectorSettings.DEFAULTS);
        }
    }

    @Test
    void everyDetectorOptionTakesItsDefaultFromTheProviderAndShowsIt() {
        CommandLine line = new CommandLine(new AnalyzeCommand());
        List<String> detectorOptions = line.getCommandSpec().mixins().get("analysisOptions").mixins().get("detectors")
                .options().stream().map(OptionSpec::longestName).toList();
        assertThat(detectorOptions).hasSize(DetectorDefaults.VALUES.size())
                .containsExactlyInAnyOrderElementsOf(DetectorDefaults.VALUES.keySet());
        String help = line.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
        assertThat(help).contains("(default 10)").contains("(default 0.1)").contains("(default 1.05)")
                .contains("(default 32768-60999, Linux's)");
    }

    private static DetectorOptions detectorOptions(Object command) {
        if (command instanceof AnalyzeCommand analyze) {
            return analyze.analysisOptions.detectors;
        }
        if (command instanceof CheckCommand check) {
            return check.analysisOptions.detectors;
        }
        if (command instanceof ShellCommand shell) {
            return shell.analysisOptions.detectors;
        }
        return ((WatchCommand) command).analysisOptions.detectors;
    }
}
