package dev.tcpstate.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a pcapng file (little-endian, one section): an interface description block per watched
 * interface, with its name, link type and nanosecond timestamps, then an enhanced packet block
 * per frame naming its interface. Several interfaces of different link types fit in one file,
 * which classic pcap cannot do.
 */
public final class PcapNgWriter extends CaptureWriter {
    private static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int ENHANCED_PACKET = 6;
    private static final short OPTION_END = 0;
    private static final short SHB_USER_APPLICATION = 4;
    private static final short IF_NAME = 2;
    private static final short IF_TSRESOL = 9;
    /** Block type, total length, interface, timestamp (2), captured and original length, and the trailing total length. */
    private static final int PACKET_OVERHEAD = 32;

    private final int interfaces;

    private PcapNgWriter(Path file, int snaplen, int interfaces) throws IOException {
        super(file, PACKET_OVERHEAD + snaplen + 3);
        this.interfaces = interfaces;
    }

    /** Creates (or replaces) {@code file} and writes the section header and the interfaces. */
    public static PcapNgWriter create(Path file, List<Interface> interfaces, int snaplen) throws IOException {
        if (interfaces.isEmpty()) {
            throw new IllegalArgumentException("a pcapng file needs at least one interface");
        }
        PcapNgWriter writer = new PcapNgWriter(file, snaplen, interfaces.size());
        ByteBuffer header = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int start = block(header, SECTION_HEADER);
        header.putInt(BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1L); // section length unknown
        option(header, SHB_USER_APPLICATION, "tcpstate watch".getBytes(StandardCharsets.UTF_8));
        endBlock(header, start, true);
        for (Interface described : interfaces) {
            start = block(header, INTERFACE_DESCRIPTION);
            header.putShort((short) described.linkType()).putShort((short) 0).putInt(snaplen);
            option(header, IF_NAME, described.name().getBytes(StandardCharsets.UTF_8));
            option(header, IF_TSRESOL, new byte[] {9}); // 10^-9 s: the frames' nanoseconds as they are
            endBlock(header, start, true);
        }
        writer.header(header);
        return writer;
    }

    @Override
    public String format() {
        return "pcapng";
    }

    @Override
    int recordLength(Frame frame) {
        return PACKET_OVERHEAD + padded(frame.capturedLength());
    }

    @Override
    void record(Frame frame, ByteBuffer into) {
        if (frame.interfaceId() < 0 || frame.interfaceId() >= interfaces) {
            throw new IllegalArgumentException("frame of interface " + frame.interfaceId() + ", the file describes "
                    + interfaces);
        }
        int start = block(into, ENHANCED_PACKET);
        long nanos = frame.timestampNanos();
        into.putInt(frame.interfaceId()).putInt((int) (nanos >>> 32)).putInt((int) nanos)
                .putInt(frame.capturedLength()).putInt(frame.originalLength());
        bytes(frame, into);
        pad(into);
        endBlock(into, start, false);
    }

    private static int block(ByteBuffer into, int type) {
        int start = into.position();
        into.putInt(type).putInt(0); // the length, once known
        return start;
    }

    private static void endBlock(ByteBuffer into, int start, boolean options) {
        if (options) {
            into.putShort(OPTION_END).putShort((short) 0);
        }
        int length = into.position() - start + 4;
        into.putInt(start + 4, length).putInt(length);
    }

    private static void option(ByteBuffer into, short code, byte[] value) {
        into.putShort(code).putShort((short) value.length).put(value);
        pad(into);
    }

    private static void pad(ByteBuffer into) {
        while (into.position() % 4 != 0) {
            into.put((byte) 0);
        }
    }

    private static int padded(int length) {
        return (length + 3) & ~3;
    }
}
