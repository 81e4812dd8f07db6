package dev.tcpstate.testing;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import java.nio.ByteBuffer;

/**
 * Decoded TCP segments between a client 10.0.0.1:40000 and a server 10.0.0.2:80, written as
 * {@code "FA 101 301 0"} (flags S A F R P, sequence number, acknowledgement number, payload
 * bytes). Built as real frames and decoded, so tests see what the decoder gives.
 */
public final class Segments {
    private final FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
    private final TcpSegment segment = new TcpSegment();

    /**
     * The segment described by {@code step}, from the client or the server, at {@code nanos};
     * the same {@link TcpSegment} instance is reused for every call.
     */
    public TcpSegment of(boolean fromClient, String step, long nanos, long frameNumber) {
        String[] parts = step.trim().split(" +");
        byte[] bytes = PacketBuilder.tcp()
                .ipv4(fromClient ? "10.0.0.1" : "10.0.0.2", fromClient ? "10.0.0.2" : "10.0.0.1")
                .ports(fromClient ? 40000 : 80, fromClient ? 80 : 40000).flags(flags(parts[0]))
                .seq((int) Long.parseLong(parts[1])).ack((int) Long.parseLong(parts[2])).window(65535)
                .payload(Integer.parseInt(parts[3])).build().bytes();
        Frame frame = new Frame().wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, nanos, 1);
        if (decoder.decode(frame, segment) != DecodeResult.TCP) {
            throw new IllegalStateException("not TCP: " + step);
        }
        segment.frameNumberForTests(frameNumber);
        return segment;
    }

    /** Flag letters: S SYN, A ACK, F FIN, R RST, P PSH. */
    public static int flags(String letters) {
        int flags = 0;
        for (char letter : letters.toCharArray()) {
            flags |= switch (letter) {
                case 'S' -> TcpFlags.SYN;
                case 'A' -> TcpFlags.ACK;
                case 'F' -> TcpFlags.FIN;
                case 'R' -> TcpFlags.RST;
                case 'P' -> TcpFlags.PSH;
                default -> throw new IllegalArgumentException("flag letter " + letter);
            };
        }
        return flags;
    }
}
