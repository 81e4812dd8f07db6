package dev.tcpstate.analysis;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import java.io.IOException;
import java.util.List;

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
