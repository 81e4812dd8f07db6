package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.PacketBuilder;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tracker reuses the objects of ended connections: a reused one must be exactly a new one, and
 * records must not depend on whether objects were reused.
 */
class ConnectionReuseTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aRestartedConnectionEqualsANewOneFieldByField() {
        // a connection that went through much: flipped roles, data, out-of-order data, FINs, RST
        Connection used = new Connection(3, 7, segment(1, 40000, 80, TcpFlags.SYN | TcpFlags.ACK, 500, 900, 0), true,
                60 * SECOND, false);
        used.packet(segment(2, 80, 40000, TcpFlags.SYN, 899, 0, 0));
        used.packet(segment(3, 40000, 80, TcpFlags.ACK, 900, 501, 100));
        used.packet(segment(4, 40000, 80, TcpFlags.ACK, 1200, 501, 100)); // a gap: out of order
        used.packet(segment(5, 80, 40000, TcpFlags.FIN | TcpFlags.ACK, 501, 1000, 0));
        used.packet(segment(6, 40000, 80, TcpFlags.RST, 1000, 0, 0));
        used.machine().finish(7 * SECOND);
        used.endedByAttemptTimer = true;
        used.markReusedInTimeWait();
        used.continueAttempt(3, 2, SECOND);
        used.removed = true;

        for (TcpSegment first : List.of(segment(10, 1234, 443, TcpFlags.SYN, 77, 0, 0),
                segment(10, 443, 1234, TcpFlags.ACK, 77, 88, 10),
                segment(10, 80, 50000, TcpFlags.SYN | TcpFlags.ACK, 5, 6, 0))) {
            for (boolean flipped : new boolean[] {false, true}) {
                Connection fresh = new Connection(3, 42, first, flipped, 60 * SECOND, false);
                used.restart(42, first, flipped);
                assertSameFields(used, fresh, "connection");
                assertThat(used.zeek().history()).isEqualTo(fresh.zeek().history());
            }
        }
    }

    @Test
    void recordsAreTheSameWithAndWithoutReuseOnEverySample() throws IOException {
        List<Path> captures;
        try (Stream<Path> files = Files.list(Environment.samples())) {
            captures = files.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted()
                    .toList();
        }
        assertThat(captures).hasSizeGreaterThan(5);
        long reusedAny = 0;
        for (Path capture : captures) {
            List<String> plain = records(capture, false);
            List<String> reused = records(capture, true);
            assertThat(reused).as(capture.toString()).isEqualTo(plain);
            reusedAny += plain.size();
        }
        assertThat(reusedAny).isGreaterThan(1000);
    }

    /** Every public fact of every record, in the order the tracker gave them. */
    private static List<String> records(Path capture, boolean reuse) throws IOException {
        List<String> out = new ArrayList<>();
        ConnectionTracker tracker = new ConnectionTracker(Set.of(80, 443, 22), 60 * SECOND,
                ZeekRules.Timeouts.ZEEK_DEFAULTS, (record, at) -> out.add(describe(record) + " final " + at));
        tracker.limit(64); // evictions too, so that many objects come back
        if (reuse) {
            tracker.reuseConnections();
        }
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        TcpSegment segment = new TcpSegment();
        Frame frame = new Frame();
        long last = 0;
        try (PacketSource source = CaptureFiles.open(capture.toString())) {
            while (source.next(frame)) {
                last = frame.timestampNanos();
                if (decoder.decode(frame, segment) == DecodeResult.TCP) {
                    tracker.packet(segment, false);
                }
            }
        }
        tracker.finish(last);
        return out;
    }

    private static String describe(ConnectionRecord record) {
        StringBuilder text = new StringBuilder();
        Method[] methods = ConnectionRecord.class.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                    && method.getDeclaringClass() == ConnectionRecord.class && !method.getName().equals("compact")) {
                try {
                    text.append(method.getName()).append('=').append(method.invoke(record)).append(' ');
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return text.toString();
    }

    /** Compares every field, into the objects of this project, skipping the history's spare bytes. */
    private static void assertSameFields(Object actual, Object expected, String path) {
        assertSameFields(actual, expected, path, new IdentityHashMap<>());
    }

    private static void assertSameFields(Object actual, Object expected, String path,
            IdentityHashMap<Object, Object> seen) {
        if (actual == null || expected == null) {
            assertThat(actual).as(path).isEqualTo(expected);
            return;
        }
        if (seen.put(actual, expected) != null) {
            return;
        }
        assertThat(actual.getClass()).as(path).isEqualTo(expected.getClass());
        for (Class<?> type = actual.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType() == byte[].class) {
                    continue; // the history's array: compared by its letters
                }
                field.setAccessible(true);
                try {
                    Object a = field.get(actual);
                    Object b = field.get(expected);
                    String where = path + "." + field.getName();
                    if (a != null && a.getClass().getName().startsWith("dev.tcpstate.") && !a.getClass().isEnum()) {
                        assertSameFields(a, b, where, seen);
                    } else {
                        assertThat(a).as(where).isEqualTo(b);
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static TcpSegment segment(long second, int sourcePort, int destinationPort, int flags, int seq, int ack,
            int payload) {
        boolean fromLow = sourcePort > destinationPort;
        byte[] bytes = PacketBuilder.tcp().ipv4(fromLow ? "10.0.0.1" : "10.0.0.2", fromLow ? "10.0.0.2" : "10.0.0.1")
                .ports(sourcePort, destinationPort).flags(flags).seq(seq).ack(ack).window(65535).payload(payload)
                .build().bytes();
        TcpSegment segment = new TcpSegment();
        Frame frame = new Frame().wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, second * SECOND, 1);
        assertThat(new FrameDecoder(ChecksumMode.IGNORE).decode(frame, segment)).isEqualTo(DecodeResult.TCP);
        return segment;
    }
}
