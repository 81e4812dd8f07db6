package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Records and segments written out and read back (the Flink job's wire form) are what they were. */
class RecordCodecTest {
    static java.util.stream.Stream<Path> samples() throws IOException {
        return TrackerPerFourTupleTest.samples();
    }

    /** What every public accessor without arguments says, by name. */
    private static List<String> accessors(Object value, Class<?> type) throws ReflectiveOperationException {
        List<String> said = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                    && method.getParameterCount() == 0 && method.getReturnType() != void.class
                    && !method.getName().equals("compact")) {
                said.add(method.getName() + "=" + method.invoke(value));
            }
        }
        said.sort(null);
        return said;
    }

    @ParameterizedTest
    @MethodSource("samples")
    void recordsReadBackEqual(Path sample) throws Exception {
        List<ConnectionRecord> records = new Analyzer(AnalysisConfig.defaults()).connections(List.of(sample.toString()))
                .records();
        assertThat(records).isNotEmpty();
        for (ConnectionRecord record : records) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            record.writeTo(new DataOutputStream(bytes));
            ConnectionRecord read = ConnectionRecord.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertThat(accessors(read, ConnectionRecord.class)).isEqualTo(accessors(record, ConnectionRecord.class));
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void segmentsReadBackEqual(Path sample) throws Exception {
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.VALIDATE);
        TcpSegment segment = new TcpSegment();
        TcpSegment read = new TcpSegment();
        Frame frame = new Frame();
        ByteBuffer buffer = ByteBuffer.allocate(TcpSegment.ENCODED_BYTES);
        int segments = 0;
        try (PacketSource source = CaptureFiles.open(sample.toString())) {
            while (source.next(frame)) {
                DecodeResult result = decoder.decode(frame, segment);
                if (result != DecodeResult.TCP && result != DecodeResult.BAD_TCP_CHECKSUM) {
                    continue;
                }
                buffer.clear();
                segment.writeTo(buffer);
                assertThat(buffer.position()).isEqualTo(TcpSegment.ENCODED_BYTES);
                buffer.flip();
                read.readFrom(buffer);
                assertThat(accessors(read, TcpSegment.class)).isEqualTo(accessors(segment, TcpSegment.class));
                for (int block = 0; block < segment.sackBlocks(); block++) {
                    assertThat(read.sackLeft(block)).isEqualTo(segment.sackLeft(block));
                    assertThat(read.sackRight(block)).isEqualTo(segment.sackRight(block));
                }
                segments++;
            }
        }
        assertThat(segments).isPositive();
    }
}
