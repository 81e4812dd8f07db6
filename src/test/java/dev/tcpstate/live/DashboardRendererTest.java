package dev.tcpstate.live;

import dev.tcpstate.report.TimeFormat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.Uids;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dashboard without a terminal: a sample replayed through the live engine gives a snapshot;
 * frames rendered from it at 80×24 and 120×40 must equal the golden frames
 * (src/test/resources/golden/dashboard; regenerate with -Dgolden.update=true) and fit exactly.
 */
class DashboardRendererTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/dashboard");

    /** Replays a sample into the live engine, one snapshot a second of packet time; returns the last. */
    static LiveSnapshot replay(String sample, String selectUid) throws Exception {
        Uids.useKey(1); // uids in the goldens must not depend on the tests that ran before
        List<String> events = new ArrayList<>();
        LiveAnalyzer analyzer = new LiveAnalyzer(AnalysisConfig.defaults(), DetectorSettings.DEFAULTS, 300_000_000_000L,
                new LiveAnalyzer.Listener() {
                    public void opened(ConnectionRecord c) {
                        events.add("opened " + c.uid());
                    }

                    public void closed(ConnectionRecord c) {
                        events.add("closed " + c.uid());
                    }

                    public void raised(Finding f) {
                        events.add("raised " + f.type().id());
                    }

                    public void cleared(Finding f) {
                        events.add("cleared " + f.type().id());
                    }
                });
        Frame frame = new Frame();
        long next = Long.MIN_VALUE;
        LiveSnapshot.CaptureCounts counts = new LiveSnapshot.CaptureCounts(4460, 0, 0, 0);
        try (PacketSource source = CaptureFiles.open(Environment.samples().resolve(sample).toString())) {
            while (source.next(frame)) {
                analyzer.frame(frame);
                if (frame.timestampNanos() >= next) {
                    analyzer.snapshot(frame.timestampNanos(), counts);
                    next = frame.timestampNanos() + 1_000_000_000L;
                }
            }
        }
        return analyzer.snapshot(analyzer.lastPacketNanos(), counts, selectUid);
    }

    @ParameterizedTest(name = "{0} {1}x{2} {3}")
    @CsvSource({"syn-flood.pcap, 80, 24, OVERVIEW", "syn-flood.pcap, 120, 40, OVERVIEW",
        "time-wait-burst.pcap, 80, 24, OVERVIEW", "time-wait-burst.pcap, 120, 40, OVERVIEW",
        "half-open.pcap, 80, 24, DETAIL", "syn-flood.pcap, 80, 24, HELP"})
    void framesEqualTheirGoldenFiles(String sample, int width, int height, DashboardView.Screen screen) throws Exception {
        LiveSnapshot snapshot = replay(sample, Uids.uid(1, 1));
        DashboardView view = DashboardView.start("veth-s (tcp)", true).withScreen(screen);
        List<String> frame = DashboardRenderer.render(snapshot, view, width, height, TimeFormat.UTC);
        assertThat(frame).hasSize(height).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(width));
        String text = String.join("\n", frame) + "\n";
        Path golden = GOLDEN.resolve(sample.replaceAll("\\.pcap$", "") + "-" + screen.name().toLowerCase() + "-" + width
                + "x" + height + ".txt");
        Golden.assertMatches(golden, text);
    }

    @Test
    void theFloodSnapshotShowsTheFloodTheSynRecvBacklogAndTheFinding() throws Exception {
        LiveSnapshot snapshot = replay("syn-flood.pcap", null);
        String frame = String.join("\n", DashboardRenderer.render(snapshot, DashboardView.start("lo", false), 120, 40, TimeFormat.UTC));
        assertThat(frame).contains("10.200.0.2:8080").contains("FLOOD").contains("TS301 syn-flood")
                .contains("SYN-RECV").doesNotContain("█").doesNotContain("…");
        assertThat(snapshot.findings()).extracting(f -> f.type().id()).containsExactly("TS301");
    }

    @Test
    void theTopLineSaysHowManyFramesWereDroppedAndSinceWhen() throws Exception {
        LiveSnapshot s = replay("syn-flood.pcap", null);
        long since = s.nowNanos() - 3_000_000_000L;
        LiveSnapshot lossy = new LiveSnapshot(s.nowNanos(), s.summary(), new LiveSnapshot.CaptureCounts(5000, 7, 0, 3, since),
                s.openConnections(), s.closedConnections(), s.endpointStates(), s.newPerSecond(), s.handshakeFailures(),
                s.synRates(), s.halfOpen(), s.timeWait(), s.timeWaitHistory(), s.topTalkers(), s.findings(),
                s.connections(), s.selected(), s.totals());
        String top = DashboardRenderer.render(lossy, DashboardView.start("lo", false), 120, 40, TimeFormat.UTC).get(0);
        assertThat(top).contains("dropped 10 since " + TimeFormat.UTC.clockSeconds(since));
        String clean = DashboardRenderer.render(s, DashboardView.start("lo", false), 120, 40, TimeFormat.UTC).get(0);
        assertThat(clean).contains("dropped 0").doesNotContain("since");
    }

    @Test
    void sortingFilteringAndSelectionPickTheRows() throws Exception {
        LiveSnapshot snapshot = replay("syn-flood.pcap", null);
        DashboardView view = DashboardView.start("lo", true);
        List<ConnectionRecord> newest = DashboardRenderer.rows(snapshot, view);
        assertThat(newest).isSortedAccordingTo((a, b) -> Long.compare(b.tsNanos(), a.tsNanos()));
        List<ConnectionRecord> legit = DashboardRenderer.rows(snapshot, view.withFilter("10.200.0.1:", false));
        assertThat(legit).isNotEmpty().allSatisfy(r -> assertThat(r.originatorAddress()).isEqualTo("10.200.0.1"));
        List<String> frame = DashboardRenderer.render(snapshot, view.withSelected(3), 80, 24, TimeFormat.UTC);
        assertThat(frame.stream().filter(line -> line.startsWith("> "))).singleElement().asString()
                .contains(newest.get(3).uid());
    }
}
