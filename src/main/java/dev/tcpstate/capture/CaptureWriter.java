package dev.tcpstate.capture;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes frames to a capture file as they are captured: {@code watch --write}. Records are
 * gathered in a buffer that always holds whole records, and the buffer goes to the file in one
 * write, so the file on disk ends on a record boundary at every moment: a process killed at any
 * point (SIGKILL, a second Ctrl-C) leaves a valid capture that lacks at most the frames not yet
 * flushed. {@link #write} flushes at least once a second; the caller flushes when traffic pauses
 * ({@link #flush}) and closes at the end. {@link PcapWriter} writes classic pcap, {@link
 * PcapNgWriter} pcapng.
 */
public abstract class CaptureWriter implements AutoCloseable {
    private static final int MIN_BUFFER = 1 << 16;
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

    /** An interface whose frames the file holds, numbered as {@link Frame#interfaceId()} numbers them. */
    public record Interface(String name, int linkType) {
    }

    /**
     * The writer {@code -w FILE} asks for: pcapng when the name ends in {@code .pcapng} or when the
     * interfaces differ in link type (one pcap file has one link type), classic pcap otherwise, as
     * tcpdump writes.
     */
    public static CaptureWriter create(Path file, List<Interface> interfaces, int snaplen) throws IOException {
        boolean oneLinkType = interfaces.stream().mapToInt(Interface::linkType).distinct().count() == 1;
        boolean named = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pcapng");
        return named || !oneLinkType ? PcapNgWriter.create(file, interfaces, snaplen)
                : PcapWriter.create(file, interfaces.get(0).linkType(), snaplen);
    }

    // not a FileChannel: an interrupt would close a channel under the writing thread
    private final FileOutputStream out;
    private ByteBuffer buffer;
    private long lastFlush = System.nanoTime();
    private long frames;
    private boolean closed;

    /** @param largestRecord the bytes the largest record the snaplen allows takes, so that every record fits whole */
    CaptureWriter(Path file, int largestRecord) throws IOException {
        this.out = new FileOutputStream(file.toFile());
        this.buffer = ByteBuffer.allocate(Math.max(MIN_BUFFER, largestRecord)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The file's format, as messages name it ("pcap", "pcapng"). */
    public abstract String format();

    /** The bytes {@code frame}'s record takes. */
    abstract int recordLength(Frame frame);

    /** Puts {@code frame}'s record into {@code into}, which has room for it. */
    abstract void record(Frame frame, ByteBuffer into);

    /** Writes the file's header at once (the file is a valid empty capture from then on). */
    final void header(ByteBuffer header) throws IOException {
        out.write(header.array(), 0, header.position());
    }

    /** Appends one frame as captured. */
    public final void write(Frame frame) throws IOException {
        int length = recordLength(frame);
        if (buffer.remaining() < length) {
            flush();
            if (buffer.capacity() < length) {
                // a frame longer than the declared snaplen: grow once rather than split the record
                buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        record(frame, buffer);
        frames++;
        if (System.nanoTime() - lastFlush >= FLUSH_INTERVAL_NANOS) {
            flush();
        }
    }

    /** Copies the frame's captured bytes into {@code into}. */
    static void bytes(Frame frame, ByteBuffer into) {
        frame.buffer().get(frame.offset(), into.array(), into.position(), frame.capturedLength());
        into.position(into.position() + frame.capturedLength());
    }

    /** Frames written so far. */
    public final long frames() {
        return frames;
    }

    /** Hands the buffered records to the file in one write: the file still ends on a record boundary. */
    public final void flush() throws IOException {
        if (buffer.position() > 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        lastFlush = System.nanoTime();
    }

    @Override
    public final void close() throws IOException {
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
