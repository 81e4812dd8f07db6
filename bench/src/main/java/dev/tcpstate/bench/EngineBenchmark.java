package dev.tcpstate.bench;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.flow.TupleIndex;
import dev.tcpstate.flow.ConnectionTracker;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The stages after decoding, one file per operation: the flow table alone (a lookup per
 * segment), and the engine (reader, decoder, Zeek tracker with both views, records kept), in
 * packets per second. Run with {@code -p capture=/path/to/big.pcap}; see bench/README.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 4, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class EngineBenchmark extends CaptureBenchmark {

    /** Read, decode and look every segment's four-tuple up in the tracker's table (inserting new ones). */
    @Benchmark
    public int flowTable(PacketCounter counter) throws IOException {
        TupleIndex table = new TupleIndex(1024);
        try (PacketSource source = CaptureFiles.open(capture)) {
            while (source.next(frame)) {
                if (decoder.decode(frame, segment) == DecodeResult.TCP) {
                    if (table.get(segment) < 0) {
                        table.put(segment, table.size());
                    }
                    counter.packets++;
                }
            }
        }
        return table.size();
    }

    /** Read, decode and track: both views of every connection, each final record handed on (and dropped). */
    @Benchmark
    public void engine(PacketCounter counter, Blackhole sink) throws IOException {
        AnalysisConfig config = AnalysisConfig.defaults();
        long[] finals = {0};
        ConnectionTracker tracker = new ConnectionTracker(config.likelyServerPorts(), config.timeWaitNanos(),
                config.timeouts(), (record, finalNanos) -> {
                    finals[0]++;
                    sink.consume(record);
                });
        // as the analysis passes set it up
        tracker.limit(config.maxFlows());
        tracker.reuseConnections();
        try (PacketSource source = CaptureFiles.open(capture)) {
            while (source.next(frame)) {
                DecodeResult result = decoder.decode(frame, segment);
                if (result == DecodeResult.TCP) {
                    tracker.packet(segment, false);
                    counter.packets++;
                }
            }
        }
        tracker.finish(tracker.clock());
        sink.consume(finals[0]);
    }
}
