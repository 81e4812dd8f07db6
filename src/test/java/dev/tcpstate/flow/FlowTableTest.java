package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.testing.PacketBuilder;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    private final FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);

    private TcpSegment segment(String source, int sourcePort, String destination, int destinationPort) {
        PacketBuilder builder = source.contains(":") ? PacketBuilder.tcp().ipv6(source, destination)
                : PacketBuilder.tcp().ipv4(source, destination);
        byte[] bytes = builder.ports(sourcePort, destinationPort).build().bytes();
        TcpSegment segment = new TcpSegment();
        Frame frame = new Frame().wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, 0, 1);
        assertThat(decoder.decode(frame, segment)).isEqualTo(DecodeResult.TCP);
        return segment;
    }

    @Test
    void bothDirectionsOfATupleFindTheSameEntry() {
        FlowTable<String> table = new FlowTable<>(4);
        table.put(segment("10.0.0.1", 40000, "10.0.0.2", 80), "v4");
        table.put(segment("fd00::2", 443, "fd00::1", 50000), "v6");

        assertThat(table.get(segment("10.0.0.2", 80, "10.0.0.1", 40000))).isEqualTo("v4");
        assertThat(table.get(segment("10.0.0.1", 40000, "10.0.0.2", 80))).isEqualTo("v4");
        assertThat(table.get(segment("fd00::1", 50000, "fd00::2", 443))).isEqualTo("v6");
        assertThat(table.get(segment("10.0.0.1", 40001, "10.0.0.2", 80))).isNull();
        // same addresses, ports swapped between the ends: a different tuple
        assertThat(table.get(segment("10.0.0.1", 80, "10.0.0.2", 40000))).isNull();
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void aTupleBetweenOneAddressAndItselfIsKeyedByItsPorts() {
        FlowTable<String> table = new FlowTable<>(4);
        table.put(segment("127.0.0.1", 5000, "127.0.0.1", 6000), "loop");
        assertThat(table.get(segment("127.0.0.1", 6000, "127.0.0.1", 5000))).isEqualTo("loop");
    }

    /** Random puts, replacements and removals against a HashMap model, through many resizes. */
    @Test
    void agreesWithAMapThroughGrowthAndDeletion() {
        Random random = new Random(7);
        FlowTable<Integer> table = new FlowTable<>(1);
        Map<String, Integer> model = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            int host = random.nextInt(300);
            int port = 1024 + random.nextInt(50);
            TcpSegment segment = random.nextBoolean()
                    ? segment("10.1." + (host / 256) + "." + (host % 256), port, "10.9.9.9", 443)
                    : segment("10.9.9.9", 443, "10.1." + (host / 256) + "." + (host % 256), port);
            String key = host + ":" + port;
            if (random.nextInt(4) == 0 && model.containsKey(key)) {
                Integer value = model.remove(key);
                assertThat(table.removeValue(value)).isTrue();
            } else {
                Integer value = i; // one object for both: removeValue compares identity
                model.put(key, value);
                table.put(segment, value);
            }
            if (i % 997 == 0) {
                int removedBelow = i / 3;
                List<Integer> removed = table.removeIf(value -> value < removedBelow);
                model.values().removeIf(value -> value < removedBelow);
                assertThat(removed).allMatch(value -> value < removedBelow);
            }
            assertThat(table.get(segment)).isEqualTo(model.get(key));
        }
        assertThat(table.size()).isEqualTo(model.size());
        assertThat(table.values()).containsExactlyInAnyOrderElementsOf(model.values());
    }
}
