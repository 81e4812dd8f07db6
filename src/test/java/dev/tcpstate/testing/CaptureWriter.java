package dev.tcpstate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Builds pcap and pcapng files byte by byte for tests, in either byte order, including broken
 * ones: every field is written as given, so a test can make a length lie.
 */
public final class CaptureWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;

    private CaptureWriter(ByteOrder order) {
        this.order = order;
    }

    /** A classic pcap file header; {@code magic} is one of a1b2c3d4, a1b23c4d, a1b2cd34. */
    public static CaptureWriter pcap(ByteOrder order, int magic, long snaplen, int linkType) {
        CaptureWriter writer = new CaptureWriter(order);
        writer.u32(magic).u16(2).u16(4).u32(0).u32(0).u32(snaplen).u32(linkType);
        return writer;
    }

    public static CaptureWriter pcap(int linkType) {
        return pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 262_144, linkType);
    }

    /** An empty pcapng file; add sections with {@link #section}. */
    public static CaptureWriter pcapng() {
        return new CaptureWriter(ByteOrder.LITTLE_ENDIAN);
    }

    /** A pcap record; {@code fraction} is in the file's units (µs or ns). */
    public CaptureWriter record(long seconds, long fraction, byte[] data, long originalLength) {
        return u32(seconds).u32(fraction).u32(data.length).u32(originalLength).bytes(data);
    }

    /** A pcap record header only, with whatever lengths the test wants. */
    public CaptureWriter recordHeader(long seconds, long fraction, long capturedLength, long originalLength) {
        return u32(seconds).u32(fraction).u32(capturedLength).u32(originalLength);
    }

    /** A record of the "modified" pcap format (24-byte record header). */
    public CaptureWriter modifiedRecord(long seconds, long micros, byte[] data) {
        return u32(seconds).u32(micros).u32(data.length).u32(data.length).u32(1).u16(0x0800).u16(0).bytes(data);
    }

    /** A Section Header Block in {@code byteOrder}; later blocks use that order. */
    public CaptureWriter section(ByteOrder byteOrder) {
        this.order = byteOrder;
        return block(0x0A0D0D0A, body().u32(0x1A2B3C4D).u16(1).u16(0).u64(-1));
    }

    /**
     * An Interface Description Block. {@code tsresol} is the raw if_tsresol byte, or -1 for none;
     * {@code tsoffset} the if_tsoffset seconds, or 0 for none.
     */
    public CaptureWriter interfaceBlock(int linkType, long snaplen, int tsresol, long tsoffset) {
        Body body = body().u16(linkType).u16(0).u32(snaplen);
        if (tsresol >= 0) {
            body.u16(9).u16(1).u8(tsresol).pad();
        }
        if (tsoffset != 0) {
            body.u16(14).u16(8).u64(tsoffset);
        }
        body.u16(2).u16(4).bytes("eth0".getBytes()).pad();
        body.u16(0).u16(0);
        return block(1, body);
    }

    public CaptureWriter enhancedPacket(int interfaceId, long timestampUnits, byte[] data, long originalLength) {
        Body body = body().u32(interfaceId).u32(timestampUnits >>> 32).u32(timestampUnits & 0xFFFF_FFFFL)
                .u32(data.length).u32(originalLength).bytes(data).pad();
        body.u16(1).u16(5).bytes("note!".getBytes()).pad().u16(0).u16(0);
        return block(6, body);
    }

    public CaptureWriter simplePacket(byte[] data, long originalLength) {
        return block(3, body().u32(originalLength).bytes(data).pad());
    }

    public CaptureWriter obsoletePacket(int interfaceId, long timestampUnits, byte[] data) {
        return block(2, body().u16(interfaceId).u16(0).u32(timestampUnits >>> 32).u32(timestampUnits & 0xFFFF_FFFFL)
                .u32(data.length).u32(data.length).bytes(data).pad());
    }

    /** Any block: type, body, and the two length fields computed. */
    public CaptureWriter block(int type, Body body) {
        byte[] content = body.toByteArray();
        int length = 12 + content.length;
        return u32(type).u32(length).bytes(content).u32(length);
    }

    /** A block with lengths the test chooses (to make them lie). */
    public CaptureWriter rawBlock(int type, long leadingLength, byte[] content, long trailingLength) {
        return u32(type).u32(leadingLength).bytes(content).u32(trailingLength);
    }

    public Body body() {
        return new Body(order);
    }

    public CaptureWriter u8(int value) {
        out.write(value);
        return this;
    }

    public CaptureWriter u16(int value) {
        return bytes(ByteBuffer.allocate(2).order(order).putShort((short) value).array());
    }

    public CaptureWriter u32(long value) {
        return bytes(ByteBuffer.allocate(4).order(order).putInt((int) value).array());
    }

    public CaptureWriter bytes(byte[] data) {
        out.writeBytes(data);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public int size() {
        return out.size();
    }

    public Path writeTo(Path file) {
        try {
            return Files.write(file, toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }

    /** A block body under construction, in its section's byte order. */
    public static final class Body {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteOrder order;

        Body(ByteOrder order) {
            this.order = order;
        }

        public Body u8(int value) {
            bytes.write(value);
            return this;
        }

        public Body u16(int value) {
            return bytes(ByteBuffer.allocate(2).order(order).putShort((short) value).array());
        }

        public Body u32(long value) {
            return bytes(ByteBuffer.allocate(4).order(order).putInt((int) value).array());
        }

        public Body u64(long value) {
            return bytes(ByteBuffer.allocate(8).order(order).putLong(value).array());
        }

        public Body bytes(byte[] data) {
            bytes.writeBytes(data);
            return this;
        }

        /** Zero bytes up to the next multiple of 4. */
        public Body pad() {
            while (bytes.size() % 4 != 0) {
                bytes.write(0);
            }
            return this;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
