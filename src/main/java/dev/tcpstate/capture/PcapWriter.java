package dev.tcpstate.capture;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes frames to a classic pcap file (nanosecond timestamps, little-endian), as tcpdump -w
 * would: {@code watch --write}. Records are gathered in a buffer that always holds whole records,
 * and the buffer goes to the file in one write, so the file on disk ends on a record boundary at
 * every moment: a process killed at any point (SIGKILL, a second Ctrl-C) leaves a valid capture
 * that lacks at most the frames not yet flushed. {@link #write} flushes at least once a second;
 * the caller flushes when traffic pauses ({@link #flush}) and closes at the end.
 */
public final class PcapWriter implements AutoCloseable {
    private static final int MAGIC_NANOS = 0xA1B23C4D;
    private static final int RECORD_HEADER = 16;
    private static final int MIN_BUFFER = 1 << 16;
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

    // not a FileChannel: an interrupt would close a channel under the writing thread
    private final FileOutputStream out;
    private ByteBuffer buffer;
    private long lastFlush = System.nanoTime();
    private long frames;
    private boolean closed;

    private PcapWriter(FileOutputStream out, int snaplen) {
        this.out = out;
        // room for the largest record the snaplen allows, so every record fits whole
        this.buffer = ByteBuffer.allocate(Math.max(MIN_BUFFER, RECORD_HEADER + snaplen)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Creates (or replaces) {@code file} and writes the file header. */
    public static PcapWriter create(Path file, int linkType, int snaplen) throws IOException {
        PcapWriter writer = new PcapWriter(new FileOutputStream(file.toFile()), snaplen);
        ByteBuffer fileHeader = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        fileHeader.putInt(MAGIC_NANOS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen)
                .putInt(linkType);
        writer.out.write(fileHeader.array());
        return writer;
    }

    /** Appends one frame as captured. */
    public void write(Frame frame) throws IOException {
        int length = frame.capturedLength();
        if (buffer.remaining() < RECORD_HEADER + length) {
            flush();
            if (buffer.capacity() < RECORD_HEADER + length) {
                // a frame longer than the declared snaplen: grow once rather than split the record
                buffer = ByteBuffer.allocate(RECORD_HEADER + length).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        long nanos = frame.timestampNanos();
        buffer.putInt((int) Math.floorDiv(nanos, 1_000_000_000L)).putInt((int) Math.floorMod(nanos, 1_000_000_000L))
                .putInt(length).putInt(frame.originalLength());
        frame.buffer().get(frame.offset(), buffer.array(), buffer.position(), length);
        buffer.position(buffer.position() + length);
        frames++;
        if (System.nanoTime() - lastFlush >= FLUSH_INTERVAL_NANOS) {
            flush();
        }
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    /** Hands the buffered records to the file in one write: the file still ends on a record boundary. */
    public void flush() throws IOException {
        if (buffer.position() > 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        lastFlush = System.nanoTime();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
