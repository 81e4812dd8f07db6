package dev.tcpstate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.detect.DetectorSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One engine: a capture fed frame by frame through {@code watch}'s engine gives the findings and
 * the tally {@code analyze} gives on the same file, example connections and all.
 */
class LiveEquivalenceTest {
    static Stream<String> samples() throws IOException {
        return dev.tcpstate.testing.Environment.sampleCaptures().stream().map(Path::toString);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void watchsEngineFindsWhatAnalyzeFinds(String sample) throws IOException {
        AnalysisConfig config = AnalysisConfig.defaults();
        Analysis analyzed = new Analyzer(config).analyze(List.of(sample), DetectorSettings.DEFAULTS, 40);

        List<String> logged = new java.util.ArrayList<>();
        LiveAnalyzer live = new LiveAnalyzer(config, DetectorSettings.DEFAULTS, 60_000_000_000L, new LiveAnalyzer.Listener() {
            @Override
            public void opened(dev.tcpstate.flow.ConnectionRecord connection) {
            }

            @Override
            public void closed(dev.tcpstate.flow.ConnectionRecord connection) {
            }

            @Override
            public void raised(dev.tcpstate.detect.Finding finding) {
            }

            @Override
            public void cleared(dev.tcpstate.detect.Finding finding) {
            }

            @Override
            public void logged(dev.tcpstate.flow.ConnectionRecord connection) {
                logged.add(json(connection));
            }
        });
        Frame frame = new Frame();
        try (PacketSource source = CaptureFiles.open(sample)) {
            while (source.next(frame)) {
                live.frame(frame);
            }
            live.sourceFinished(source);
        }
        Analysis watched = live.finish(40);

        assertThat(watched.findings()).as("findings").isEqualTo(analyzed.findings());
        assertThat(watched.connections().byOutcome()).isEqualTo(analyzed.connections().byOutcome());
        assertThat(watched.connections().byConnState()).isEqualTo(analyzed.connections().byConnState());
        assertThat(watched.connections().timeWaitAtEnd()).isEqualTo(analyzed.connections().timeWaitAtEnd());
        assertThat(watched.detection()).isEqualTo(analyzed.detection());
        assertThat(watched.timeline().timeWait()).isEqualTo(analyzed.timeline().timeWait());
        List<String> listed = new java.util.ArrayList<>();
        new Analyzer(config).stream(List.of(sample), record -> listed.add(json(record)));
        assertThat(logged).as("watch's connection_logged records are connections' records, in its order")
                .isEqualTo(listed);
    }

    private static String json(dev.tcpstate.flow.ConnectionRecord record) {
        java.io.StringWriter out = new java.io.StringWriter();
        dev.tcpstate.report.JsonWriter writer = new dev.tcpstate.report.JsonWriter(out);
        dev.tcpstate.report.ConnectionFields.json(record, writer);
        return out.toString();
    }
}
