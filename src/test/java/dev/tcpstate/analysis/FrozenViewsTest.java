package dev.tcpstate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.report.ConnectionFields;
import dev.tcpstate.report.JsonWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The live picture keeps the open connections frozen at the last sitting and freezes again only
 * the places the tracker marked (begun, changed, ended): after every frame of every sample (the
 * first 400, then every 37th), what it keeps equals freezing every open connection afresh, every
 * field, none missing and none ended left over, and so does the count of those still going.
 */
class FrozenViewsTest {
    static Stream<String> samples() throws IOException {
        return dev.tcpstate.testing.Environment.sampleCaptures().stream().map(Path::toString);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void keptViewsEqualFreshOnesAfterEveryFrame(String sample) throws IOException {
        LiveAnalyzer live = new LiveAnalyzer(AnalysisConfig.defaults(), DetectorSettings.DEFAULTS, 60_000_000_000L,
                LiveAnalyzer.Listener.NONE);
        Frame frame = new Frame();
        int compared = 0;
        try (PacketSource source = CaptureFiles.open(sample)) {
            while (source.next(frame)) {
                live.frame(frame);
                if (frame.number() > 400 && frame.number() % 37 != 0) {
                    continue; // every frame of the first 400, then every 37th: the suite stays quick
                }
                LiveAnalyzer.Sitting keptSitting = live.sitting(frame.timestampNanos(), LiveSnapshot.CaptureCounts.NONE, null);
                live.forgetFrozen();
                LiveAnalyzer.Sitting freshSitting = live.sitting(frame.timestampNanos(), LiveSnapshot.CaptureCounts.NONE, null);
                List<String> kept = views(keptSitting);
                List<String> fresh = views(freshSitting);
                assertThat(kept).as("frame %d", frame.number()).isEqualTo(fresh);
                assertThat(keptSitting.live()).as("frame %d: still going", frame.number()).isEqualTo(freshSitting.live());
                compared += fresh.size();
            }
        }
        assertThat(compared).as("open connections compared").isPositive();
        // an hour without traffic: the timers end every connection, and no new one takes its place
        long later = live.lastPacketNanos() + 3_600_000_000_000L;
        live.idle(later);
        LiveAnalyzer.Sitting quiet = live.sitting(later, LiveSnapshot.CaptureCounts.NONE, null);
        assertThat(views(quiet)).as("ended by timers").isEmpty();
        assertThat(quiet.live()).isZero();
    }

    private static List<String> views(LiveAnalyzer.Sitting sitting) {
        return sitting.open().stream().sorted(Comparator.comparingLong(ConnectionRecord::id)).map(record -> {
            StringBuilder out = new StringBuilder();
            ConnectionFields.json(record, new JsonWriter(out));
            return out.toString();
        }).toList();
    }
}
