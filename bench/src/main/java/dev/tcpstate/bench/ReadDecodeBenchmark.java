package dev.tcpstate.bench;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.capture.Pcap4jFileReader;
import dev.tcpstate.decode.DecodeResult;
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
 * Reading (and decoding) a whole capture file per operation, single-threaded. The {@code packets}
 * counter is reported in packets per second: the number that matters. Run with
 * {@code -p capture=/path/to/big.pcap}; see bench/README.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ReadDecodeBenchmark extends CaptureBenchmark {

    /** The pure-Java reader over the file (read ahead in windows), plus the full header decode. */
    @Benchmark
    public long pureJavaReadAndDecode(PacketCounter counter) throws IOException {
        try (PacketSource source = CaptureFiles.open(capture)) {
            return readAndDecode(source, counter);
        }
    }

    /** The pure-Java reader alone: what the container costs. */
    @Benchmark
    public void pureJavaReadOnly(PacketCounter counter, Blackhole sink) throws IOException {
        try (PacketSource source = CaptureFiles.open(capture)) {
            while (source.next(frame)) {
                counter.packets++;
                sink.consume(frame.capturedLength());
            }
        }
    }

    /** libpcap through pcap4j (pcap_next_ex, one array per frame) plus the same decode. */
    @Benchmark
    @Warmup(iterations = 1, time = 5)
    @Measurement(iterations = 2, time = 5)
    public long pcap4jReadAndDecode(PacketCounter counter) throws IOException {
        try (PacketSource source = Pcap4jFileReader.open(capture)) {
            return readAndDecode(source, counter);
        }
    }

    /** Every frame through the decoder; the sum keeps the JIT from dropping the decode. */
    private long readAndDecode(PacketSource source, PacketCounter counter) throws IOException {
        long tcp = 0;
        while (source.next(frame)) {
            counter.packets++;
            if (decoder.decode(frame, segment) == DecodeResult.TCP) {
                tcp += segment.payloadLength() + segment.sourcePort();
            }
        }
        return tcp;
    }
}
