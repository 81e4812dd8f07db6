package dev.tcpstate.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loss is never silent: TS501 says how much was lost, and the findings a lost packet can make up say so. */
class CaptureLossTest {
    private static Finding finding(FindingType type) {
        return new Finding(type, Severity.WARNING, "10.0.0.2:80", 1, 2, Map.of("connections", 3L), List.of(), List.of(),
                "Something happened.");
    }

    private static final List<Finding> FOUND = List.of(finding(FindingType.HANDSHAKE_UNANSWERED),
            finding(FindingType.SYN_FLOOD), finding(FindingType.HALF_OPEN_PEER_SILENT));

    @Test
    void missedBytesPastOnePercentRaiseTs501AndMarkTheFindingsLossCanMakeUp() {
        List<Finding> marked = CaptureLoss.apply(FOUND, 500, 0, 10_000, 0, 0, 1, 2);
        assertThat(marked).extracting(f -> f.type().id()).containsExactly("TS501", "TS101", "TS301", "TS202");
        Finding loss = marked.get(0);
        assertThat(loss.counts()).containsEntry("capture_loss_percent", 5.0).containsEntry("missed_bytes", 500L);
        assertThat(loss.message()).contains("5.0% of the payload bytes");
        assertThat(marked.get(1).counts()).containsEntry("capture_loss_percent", 5.0);
        assertThat(marked.get(1).message()).endsWith("some of these may be lost packets, not failures.");
        assertThat(marked.get(2)).as("a flood is not made up by loss").isSameAs(FOUND.get(1));
        assertThat(marked.get(3).counts()).containsKey("capture_loss_percent");
    }

    @Test
    void droppedFramesAlwaysCount() {
        List<Finding> marked = CaptureLoss.apply(List.of(), 0, 0, 10_000, 12, 1_000, 1, 2);
        assertThat(marked).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.CAPTURE_LOSS);
            assertThat(f.counts()).containsEntry("dropped_frames", 12L).containsEntry("received_frames", 1000L);
            assertThat(f.message()).contains("12 frames dropped before analysis");
        });
    }

    @Test
    void aLossOfDroppedFramesBeginsWhenTheyWereFirstSeen() {
        Finding onlyDrops = CaptureLoss.apply(List.of(), 0, 0, 10_000, 12, 1_000, 150, 100, 200).get(0);
        assertThat(onlyDrops.startNanos()).isEqualTo(150);
        assertThat(onlyDrops.endNanos()).isEqualTo(200);
        Finding alsoGaps = CaptureLoss.apply(List.of(), 500, 0, 10_000, 12, 1_000, 150, 100, 200).get(0);
        assertThat(alsoGaps.startNanos()).as("the missed bytes span the whole window").isEqualTo(100);
        Finding unknown = CaptureLoss.apply(List.of(), 0, 0, 10_000, 12, 1_000, Long.MIN_VALUE, 100, 200).get(0);
        assertThat(unknown.startNanos()).isEqualTo(100);
    }

    @Test
    void littleLossOrOnlySnaplenCutsChangeNothing() {
        assertThat(CaptureLoss.apply(FOUND, 99, 0, 10_000, 0, 0, 1, 2)).as("under 1 %").isSameAs(FOUND);
        assertThat(CaptureLoss.apply(FOUND, 5_000, 5_000, 10_000, 0, 0, 1, 2)).as("cut by the snapshot length")
                .isSameAs(FOUND);
        assertThat(CaptureLoss.apply(FOUND, 0, 0, 0, 0, 0, 1, 2)).isSameAs(FOUND);
    }
}
