package dev.tcpstate.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Writes a classic pcap file (nanosecond timestamps, little-endian), as tcpdump -w would. */
public final class PcapWriter extends CaptureWriter {
    private static final int MAGIC_NANOS = 0xA1B23C4D;
    private static final int RECORD_HEADER = 16;

    private PcapWriter(Path file, int snaplen) throws IOException {
        super(file, RECORD_HEADER + snaplen);
    }

    /** Creates (or replaces) {@code file} and writes the file header. */
    public static PcapWriter create(Path file, int linkType, int snaplen) throws IOException {
        PcapWriter writer = new PcapWriter(file, snaplen);
        ByteBuffer fileHeader = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        fileHeader.putInt(MAGIC_NANOS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen)
                .putInt(linkType);
        writer.header(fileHeader);
        return writer;
    }

    @Override
    public String format() {
        return "pcap";
    }

    @Override
    int recordLength(Frame frame) {
        return RECORD_HEADER + frame.capturedLength();
    }

    @Override
    void record(Frame frame, ByteBuffer into) {
        long nanos = frame.timestampNanos();
        into.putInt((int) Math.floorDiv(nanos, 1_000_000_000L)).putInt((int) Math.floorMod(nanos, 1_000_000_000L))
                .putInt(frame.capturedLength()).putInt(frame.originalLength());
        bytes(frame, into);
    }
}
