package dev.tcpstate.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live capture for real: the JVM's own TCP client and server talk over loopback while pcap4j
 * captures on "lo" with a BPF filter for the server's port. Needs root and libpcap.
 */
@Timeout(30)
class LiveCaptureTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @BeforeEach
    void needsRootAndLibpcap() {
        Assumptions.assumeTrue(Environment.libpcapAvailable(),
                "libpcap is not installed (apt-get install libpcap0.8): live capture cannot run");
        Assumptions.assumeTrue(Environment.isRoot(), "live capture on lo needs root (CAP_NET_RAW)");
    }

    /** A decoded segment, copied: direction, flags, payload. */
    private record Seen(int sourcePort, int destinationPort, int flags, int payload, long timestampNanos) {
    }

    @Test
    void capturesARealConnectionOnLoopbackThroughTheFilter() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, LOOPBACK);
                ServerSocket otherServer = new ServerSocket(0, 10, LOOPBACK)) {
            int port = server.getLocalPort();
            long before = System.currentTimeMillis() * 1_000_000L;
            try (LiveCapture capture = LiveCapture.start(LiveCaptureOptions.of("lo").withFilter("tcp port " + port))) {
                Thread serverSide = new Thread(() -> serveOnce(server, 100, 1000));
                serverSide.start();
                exchange(otherServer.getLocalPort(), otherServer, 10);
                int clientPort = exchange(port, null, 100);
                serverSide.join(5000);

                List<Seen> seen = collectUntilClosed(capture, 10_000);

                assertThat(seen).allSatisfy(segment -> {
                    assertThat(List.of(segment.sourcePort(), segment.destinationPort())).containsExactlyInAnyOrder(
                            port, clientPort);
                    assertThat(segment.timestampNanos()).isGreaterThanOrEqualTo(before - 1_000_000_000L);
                });
                assertThat(seen.get(0).flags() & (TcpFlags.SYN | TcpFlags.ACK)).isEqualTo(TcpFlags.SYN);
                assertThat(seen.get(0).destinationPort()).isEqualTo(port);
                assertThat(seen.get(1).flags() & (TcpFlags.SYN | TcpFlags.ACK)).isEqualTo(TcpFlags.SYN | TcpFlags.ACK);
                assertThat(payload(seen, clientPort)).isEqualTo(100);
                assertThat(payload(seen, port)).isEqualTo(1000);
                assertThat(seen).filteredOn(segment -> (segment.flags() & TcpFlags.FIN) != 0)
                        .extracting(Seen::sourcePort).containsExactlyInAnyOrder(clientPort, port);
                assertThat(capture.linkType()).isEqualTo(LinkType.EN10MB.code());
                assertThat(capture.counts().droppedByQueue()).isZero();
            }
        }
    }

    @Test
    void endsCleanlyWhenStoppedWithNoTraffic() throws Exception {
        try (LiveCapture capture = LiveCapture.start(LiveCaptureOptions.of("lo").withFilter("tcp port 9"))) {
            Frame frame = new Frame();
            assertThat(capture.poll(frame, 200, TimeUnit.MILLISECONDS)).isEqualTo(LiveCapture.Poll.IDLE);
            capture.stop();
            assertThat(capture.next(frame)).isFalse();
        }
    }

    @Test
    void aMissingInterfaceIsACaptureUnavailableError() {
        assertThatThrownBy(() -> LiveCapture.start(LiveCaptureOptions.of("tcpst-nosuch0")))
                .isInstanceOf(CaptureUnavailableException.class).hasMessageContaining("tcpst-nosuch0");
    }

    @Test
    void aBadFilterIsAUsageError() {
        assertThatThrownBy(() -> LiveCapture.start(LiveCaptureOptions.of("lo").withFilter("tcp port banana")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad filter");
    }

    private static List<Seen> collectUntilClosed(LiveCapture capture, long timeoutMillis) throws IOException {
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        TcpSegment segment = new TcpSegment();
        Frame frame = new Frame();
        List<Seen> seen = new ArrayList<>();
        int fins = 0;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        // Both FINs, then the last ACK: the whole conversation is in.
        while (System.currentTimeMillis() < deadline && !(fins == 2 && lastIsBareAck(seen))) {
            if (capture.poll(frame, 100, TimeUnit.MILLISECONDS) != LiveCapture.Poll.FRAME) {
                continue;
            }
            assertThat(decoder.decode(frame, segment)).isEqualTo(DecodeResult.TCP);
            seen.add(new Seen(segment.sourcePort(), segment.destinationPort(), segment.flags(),
                    segment.payloadLength(), segment.timestampNanos()));
            if (segment.has(TcpFlags.FIN)) {
                fins++;
            }
        }
        assertThat(fins).as("FINs seen in %s", seen).isEqualTo(2);
        return seen;
    }

    private static boolean lastIsBareAck(List<Seen> seen) {
        Seen last = seen.get(seen.size() - 1);
        return last.flags() == TcpFlags.ACK && last.payload() == 0;
    }

    private static int payload(List<Seen> seen, int fromPort) {
        return seen.stream().filter(segment -> segment.sourcePort() == fromPort).mapToInt(Seen::payload).sum();
    }

    /** Connects, sends {@code bytes}, reads the reply to its end, closes first; returns the local port. */
    private static int exchange(int port, ServerSocket alsoServe, int bytes) throws Exception {
        Thread other = null;
        if (alsoServe != null) {
            other = new Thread(() -> serveOnce(alsoServe, bytes, bytes));
            other.start();
        }
        int localPort;
        try (Socket client = new Socket(LOOPBACK, port)) {
            localPort = client.getLocalPort();
            OutputStream out = client.getOutputStream();
            out.write(new byte[bytes]);
            out.flush();
            InputStream in = client.getInputStream();
            in.readNBytes(alsoServe != null ? bytes : 1000);
        } // closing here sends the client's FIN first
        if (other != null) {
            other.join(5000);
        }
        return localPort;
    }

    private static void serveOnce(ServerSocket server, int expect, int reply) {
        try (Socket socket = server.accept()) {
            socket.getInputStream().readNBytes(expect);
            socket.getOutputStream().write(new byte[reply]);
            socket.getOutputStream().flush();
            // Wait for the client's FIN, then close: the client closes first.
            socket.getInputStream().read();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
