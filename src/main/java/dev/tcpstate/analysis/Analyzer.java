package dev.tcpstate.analysis;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.flow.ZeekRecord;
import dev.tcpstate.flow.ZeekTracker;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.state.Side;
import dev.tcpstate.state.ZeekConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Runs captures through the pipeline stages and returns immutable results. */
public final class Analyzer {
    private final AnalysisConfig config;

    public Analyzer(AnalysisConfig config) {
        this.config = config;
    }

    /** Reads and decodes every frame of the given captures ("-" is stdin), in the order given. */
    public CaptureSummary statistics(List<String> captures) throws IOException {
        CaptureStatistics statistics = new CaptureStatistics();
        for (String capture : captures) {
            try (PacketSource source = CaptureFiles.open(capture)) {
                scan(source, statistics);
            }
        }
        return statistics.summary(config.checksums());
    }

    /**
     * One record per connection, split into records as Zeek splits them: Zeek's conn_state and
     * history, and tcpstate's RFC 793 view (states of both endpoints at the end, outcome, retries).
     */
    public List<ConnectionRecord> connections(List<String> captures) throws IOException {
        List<ZeekRecord> logged = new ArrayList<>();
        ZeekTracker tracker = new ZeekTracker(config.likelyServerPorts(), config.timeWaitNanos(), config.timeouts(),
                logged::add);
        FrameDecoder decoder = new FrameDecoder(config.checksums());
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        long last = Long.MIN_VALUE;
        for (String capture : captures) {
            try (PacketSource source = CaptureFiles.open(capture)) {
                while (source.next(frame)) {
                    last = Math.max(last, frame.timestampNanos());
                    DecodeResult result = decoder.decode(frame, segment);
                    if (result == DecodeResult.TCP || result == DecodeResult.BAD_TCP_CHECKSUM) {
                        tracker.packet(segment, result == DecodeResult.BAD_TCP_CHECKSUM);
                    }
                }
            }
        }
        tracker.finish();
        List<ConnectionRecord> records = new ArrayList<>(logged.size());
        for (ZeekRecord record : logged) {
            record.machine().finish(last);
            records.add(toRecord(record));
        }
        records.sort(Comparator.comparingLong(ConnectionRecord::tsNanos).thenComparing(ConnectionRecord::uid));
        return records;
    }

    private static ConnectionRecord toRecord(ZeekRecord record) {
        ZeekConnection zeek = record.zeek();
        long duration = zeek.lastNanos() - zeek.startNanos();
        boolean timed = duration > 0;
        var machine = record.machine();
        return new ConnectionRecord(zeek.startNanos(), uid(record.id()),
                record.tuple().originatorAddress(), record.tuple().originatorPort(),
                record.tuple().responderAddress(), record.tuple().responderPort(), timed ? OptionalLong.of(duration) : OptionalLong.empty(),
                timed ? OptionalLong.of(zeek.size(true)) : OptionalLong.empty(),
                timed ? OptionalLong.of(zeek.size(false)) : OptionalLong.empty(), zeek.connState(), zeek.missedBytes(),
                zeek.history(), zeek.packets(true), zeek.ipBytes(true), zeek.packets(false), zeek.ipBytes(false),
                Outcome.classify(machine, record.midstream()).label(), machine.state(Side.ORIGINATOR).label(), machine.state(Side.RESPONDER).label(),
                record.synRetries(), machine.handshakeRttNanos(), machine.retransmits(Side.ORIGINATOR)
                        + machine.retransmits(Side.RESPONDER),
                machine.timeWaitSince(Side.ORIGINATOR).isPresent() || machine.timeWaitSince(Side.RESPONDER).isPresent(),
                record.reusedInTimeWait(), record.midstream(),
                record.continuesId().isPresent() ? Optional.of(uid(record.continuesId().getAsLong())) : Optional.empty());
    }

    private static String uid(long id) {
        return "C" + Long.toString(id, 36);
    }

    /** Reads and decodes every frame of one open source into {@code statistics}. */
    public void scan(PacketSource source, CaptureStatistics statistics) throws IOException {
        FrameDecoder decoder = new FrameDecoder(config.checksums());
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        while (source.next(frame)) {
            statistics.frame(frame);
            statistics.decoded(decoder.decode(frame, segment), segment);
        }
        statistics.sourceFinished(source);
    }
}
