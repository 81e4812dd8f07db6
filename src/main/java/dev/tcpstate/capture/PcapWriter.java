package dev.tcpstate.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes frames to a classic pcap file (nanosecond timestamps, little-endian), as tcpdump -w
 * would: {@code watch --write}. Every record is written whole before the next, and the stream is
 * flushed at least once a second, so a capture stopped at any moment leaves a valid file (at
 * worst the last record cut short, which readers report as a truncation).
 */
public final class PcapWriter implements AutoCloseable {
    private static final int MAGIC_NANOS = 0xA1B23C4D;
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

    private final OutputStream out;
    private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] copy = new byte[65_536];
    private long lastFlush = System.nanoTime();
    private long frames;

    private PcapWriter(OutputStream out) {
        this.out = out;
    }

    /** Creates (or replaces) {@code file} and writes the file header. */
    public static PcapWriter create(Path file, int linkType, int snaplen) throws IOException {
        PcapWriter writer = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        ByteBuffer fileHeader = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        fileHeader.putInt(MAGIC_NANOS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen)
                .putInt(linkType);
        writer.out.write(fileHeader.array());
        writer.out.flush();
        return writer;
    }

    /** Appends one frame as captured. */
    public void write(Frame frame) throws IOException {
        long nanos = frame.timestampNanos();
        header.clear();
        header.putInt((int) Math.floorDiv(nanos, 1_000_000_000L)).putInt((int) Math.floorMod(nanos, 1_000_000_000L))
                .putInt(frame.capturedLength()).putInt(frame.originalLength());
        out.write(header.array());
        ByteBuffer data = frame.buffer().duplicate();
        data.position(frame.offset()).limit(frame.offset() + frame.capturedLength());
        while (data.hasRemaining()) {
            int n = Math.min(copy.length, data.remaining());
            data.get(copy, 0, n);
            out.write(copy, 0, n);
        }
        frames++;
        long now = System.nanoTime();
        if (now - lastFlush >= FLUSH_INTERVAL_NANOS) {
            out.flush();
            lastFlush = now;
        }
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
