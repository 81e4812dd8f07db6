package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * What the Flink job relies on: trackers sized for one connection, one per four-tuple, driven in
 * packet time by their own due times ({@link ConnectionTracker#nextDue}, {@code advance},
 * {@code flush}), give the same records as one tracker over the whole capture.
 */
class TrackerPerFourTupleTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long TIME_WAIT = 60 * SECOND;

    static Stream<Path> samples() throws IOException {
        return Files.list(Environment.samples()).filter(path -> path.getFileName().toString().matches(".*\\.pcap(ng)?(\\.gz)?"))
                .sorted();
    }

    /** A record's content, without its number. */
    private static String content(ConnectionRecord record) {
        return record.tuple() + " " + record.tsNanos() + " " + record.connState() + " " + record.history() + " "
                + record.outcome() + " " + record.originatorState() + " " + record.responderState() + " "
                + record.originatorBytes() + " " + record.responderBytes() + " " + record.originatorPackets() + " "
                + record.responderPackets() + " " + record.synRetries() + " " + record.retransmits() + " "
                + record.timeWaitAtEnd() + " " + record.reusedTimeWait() + " " + record.continuedLater() + " "
                + record.durationNanos();
    }

    private static ConnectionTracker tracker(List<String> out, int expectedFlows) {
        return new ConnectionTracker(Set.of(80, 8080), TIME_WAIT, ZeekRules.Timeouts.ZEEK_DEFAULTS,
                (record, at) -> out.add(content(record)), expectedFlows);
    }

    /** The per-four-tuple trackers share one set of rules, as the Flink job's do. */
    private static final ZeekRules SHARED_RULES = new ZeekRules(Set.of(80, 8080), ZeekRules.Timeouts.ZEEK_DEFAULTS);

    @ParameterizedTest
    @MethodSource("samples")
    void oneSmallTrackerPerFourTupleGivesTheRecordsOfOneTracker(Path sample) throws IOException {
        List<String> whole = new ArrayList<>();
        ConnectionTracker one = tracker(whole, ConnectionTracker.DEFAULT_EXPECTED_FLOWS);
        List<String> perTuple = new ArrayList<>();
        Map<String, ConnectionTracker> byTuple = new HashMap<>();
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        TcpSegment segment = new TcpSegment();
        Frame frame = new Frame();
        long last = Long.MIN_VALUE;
        try (PacketSource source = CaptureFiles.open(sample.toString())) {
            while (source.next(frame)) {
                last = Math.max(last, frame.timestampNanos());
                if (decoder.decode(frame, segment) != DecodeResult.TCP) {
                    continue;
                }
                one.packet(segment, false);
                long now = segment.timestampNanos();
                // every other tracker's due work up to now first, as event-time timers would do it
                for (ConnectionTracker other : byTuple.values()) {
                    drive(other, now);
                }
                ConnectionTracker own = byTuple.computeIfAbsent(canonical(segment), key -> {
                    ConnectionTracker made = new ConnectionTracker(SHARED_RULES, TIME_WAIT,
                            (record, at) -> perTuple.add(content(record)), 1);
                    made.numberByFrame();
                    return made;
                });
                own.packet(segment, false);
                own.flush();
            }
        }
        one.finish(last);
        for (ConnectionTracker tracker : byTuple.values()) {
            drive(tracker, last);
            tracker.finish(last);
        }
        assertThat(perTuple).containsExactlyInAnyOrderElementsOf(whole);
    }

    /** Fires what is due by {@code now}, at the times it is due. */
    private static void drive(ConnectionTracker tracker, long now) {
        for (long due = tracker.nextDue(); due < now; due = tracker.nextDue()) {
            tracker.advance(due);
            tracker.flush();
        }
    }

    private static String canonical(TcpSegment segment) {
        String a = segment.sourceAddress() + ":" + segment.sourcePort();
        String b = segment.destinationAddress() + ":" + segment.destinationPort();
        return a.compareTo(b) < 0 ? a + " " + b : b + " " + a;
    }

    @Test
    void recordsNumberedByFrameTakeTheNumberOfAPacketTheySaw() throws IOException {
        List<Long> ids = new ArrayList<>();
        ConnectionTracker tracker = new ConnectionTracker(Set.of(), TIME_WAIT, ZeekRules.Timeouts.ZEEK_DEFAULTS,
                (record, at) -> ids.add(record.id()), 1);
        tracker.numberByFrame();
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        TcpSegment segment = new TcpSegment();
        Frame frame = new Frame();
        Set<Long> fed = new java.util.HashSet<>();
        long last = 0;
        try (PacketSource source = CaptureFiles.open(Environment.samples().resolve("time-wait-reuse.pcap").toString())) {
            while (source.next(frame)) {
                last = frame.timestampNanos();
                if (decoder.decode(frame, segment) == DecodeResult.TCP) {
                    // the Flink job puts the file's index above the frame number
                    segment.renumber(segment.frameNumber() + (7L << 32));
                    fed.add(segment.frameNumber());
                    tracker.packet(segment, false);
                }
            }
        }
        tracker.finish(last);
        assertThat(ids).hasSizeGreaterThan(1).doesNotHaveDuplicates();
        assertThat(fed).containsAll(ids);
    }

    @Test
    void nothingDueOrRememberedInAnEmptyTracker() {
        ConnectionTracker tracker = tracker(new ArrayList<>(), 1);
        assertThat(tracker.nextDue()).isEqualTo(Long.MAX_VALUE);
        assertThat(tracker.rememberedUntil()).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> tracker(new ArrayList<>(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
