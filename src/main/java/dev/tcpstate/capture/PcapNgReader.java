package dev.tcpstate.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng: Section Header, Interface Description, Enhanced, Simple and (obsolete) Packet blocks;
 * several sections, each with its own byte order and interfaces; interfaces with different link
 * types and {@code if_tsresol}/{@code if_tsoffset}. Every other block type is skipped.
 */
public final class PcapNgReader implements PacketSource {
    /** An Enhanced Packet Block holding a frame of libpcap's largest snaplen, with room for options. */
    private static final long LARGEST_PLAUSIBLE_BLOCK = 262_144 + 4096;
    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 0x00000001;
    private static final int PACKET_OBSOLETE = 0x00000002;
    private static final int SIMPLE_PACKET = 0x00000003;
    private static final int ENHANCED_PACKET = 0x00000006;
    private static final int OPTION_END = 0;
    private static final int IF_NAME = 2;
    private static final int IF_TSRESOL = 9;
    private static final int IF_TSOFFSET = 14;

    private final String name;
    private final ByteInput input;
    private final List<CaptureWarning> warnings = new ArrayList<>();
    private final List<PcapNgInterface> interfaces = new ArrayList<>();
    private final List<PcapNgInterface> allInterfaces = new ArrayList<>();
    private FieldReader fields;
    private int sections;
    private long number;
    private long lastTimestamp;

    PcapNgReader(String name, ByteInput input) throws IOException {
        this.name = name;
        this.input = input;
        int available = input.require(12);
        boolean sectionType = available >= 4 && input.buffer().getInt(input.index()) == SECTION_HEADER;
        if (available < 12 || !sectionType) {
            // say what is wrong: the type, or (the type right) too few bytes for a block
            throw new CaptureFormatException(name, 0, "first block",
                    available < 4 || sectionType ? available + " bytes" : PcapReader.hex(input.buffer().getInt(input.index())),
                    "a pcapng Section Header Block (0a0d0d0a) of at least 12 bytes");
        }
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        while (true) {
            long blockOffset = input.position();
            int available = input.require(12);
            if (available < 12) {
                if (available > 0) {
                    truncated(blockOffset, available, 12, "block header");
                }
                return false;
            }
            ByteBuffer buffer = input.buffer();
            int at = input.index();
            int type = buffer.getInt(at);
            if (type == SECTION_HEADER) {
                fields = sectionByteOrder(buffer.getInt(at + 8), blockOffset);
            } else if (fields == null) {
                throw new CaptureFormatException(name, blockOffset, "block type", PcapReader.hex(type),
                        "a Section Header Block first");
            } else {
                type = fields.i32(buffer, at);
            }
            long length = fields.u32(buffer, at + 4);
            if (length < 12 || length % 4 != 0 || length > ByteInput.MAX_RECORD) {
                throw new CaptureFormatException(name, blockOffset + 4, "block length", length + " bytes",
                        "a multiple of 4, from 12 to " + ByteInput.MAX_RECORD);
            }
            // a file cut short may end inside any block, even its first packet's: only a block
            // longer than any packet block with the largest snaplen and than the whole file is corrupt
            if (input.size() >= 0 && length > input.size() && length > LARGEST_PLAUSIBLE_BLOCK) {
                throw new CaptureFormatException(name, blockOffset + 4, "block length", length + " bytes",
                        "at most the " + input.size() + " bytes of the whole file");
            }
            int blockLength = (int) length;
            available = input.require(blockLength);
            if (available < blockLength) {
                truncated(blockOffset, available, blockLength, "block");
                return false;
            }
            buffer = input.buffer();
            at = input.index();
            long trailer = fields.u32(buffer, at + blockLength - 4);
            if (trailer != length) {
                throw new CaptureFormatException(name, blockOffset + blockLength - 4, "block trailing length",
                        trailer + " bytes", length + " bytes, as the block header says");
            }
            boolean produced = switch (type) {
                case SECTION_HEADER -> {
                    startSection(buffer, at, blockLength, blockOffset);
                    yield false;
                }
                case INTERFACE_DESCRIPTION -> {
                    addInterface(buffer, at, blockLength, blockOffset);
                    yield false;
                }
                case ENHANCED_PACKET -> enhancedPacket(frame, buffer, at, blockLength, blockOffset);
                case SIMPLE_PACKET -> simplePacket(frame, buffer, at, blockLength, blockOffset);
                case PACKET_OBSOLETE -> obsoletePacket(frame, buffer, at, blockLength, blockOffset);
                default -> false;
            };
            input.advance(blockLength);
            if (produced) {
                return true;
            }
        }
    }

    private FieldReader sectionByteOrder(int byteOrderMagic, long blockOffset) throws CaptureFormatException {
        if (byteOrderMagic == BYTE_ORDER_MAGIC) {
            return new FieldReader(false);
        }
        if (Integer.reverseBytes(byteOrderMagic) == BYTE_ORDER_MAGIC) {
            return new FieldReader(true);
        }
        throw new CaptureFormatException(name, blockOffset + 8, "byte-order magic", PcapReader.hex(byteOrderMagic),
                "1a2b3c4d in either byte order");
    }

    private void startSection(ByteBuffer buffer, int at, int length, long blockOffset) throws CaptureFormatException {
        if (length < 28) {
            throw new CaptureFormatException(name, blockOffset + 4, "section header length", length + " bytes",
                    "at least 28");
        }
        int major = fields.u16(buffer, at + 12);
        if (major != 1) {
            throw new CaptureFormatException(name, blockOffset + 12, "pcapng version",
                    major + "." + fields.u16(buffer, at + 14), "1.x");
        }
        interfaces.clear();
        sections++;
    }

    private void addInterface(ByteBuffer buffer, int at, int length, long blockOffset) throws CaptureFormatException {
        if (length < 20) {
            throw new CaptureFormatException(name, blockOffset + 4, "interface description length",
                    length + " bytes", "at least 20");
        }
        int linkType = fields.u16(buffer, at + 8);
        long snaplen = fields.u32(buffer, at + 12);
        int exponent = 6;
        boolean binary = false;
        long offsetSeconds = 0;
        String interfaceName = "";
        int option = at + 16;
        int end = at + length - 4;
        while (option + 4 <= end) {
            int code = fields.u16(buffer, option);
            int optionLength = fields.u16(buffer, option + 2);
            int value = option + 4;
            if (code == OPTION_END || value + optionLength > end) {
                break;
            }
            if (code == IF_TSRESOL && optionLength >= 1) {
                int resolution = buffer.get(value) & 0xFF;
                binary = (resolution & 0x80) != 0;
                exponent = resolution & 0x7F;
                if (!PcapNgInterface.supportedResolution(exponent, binary)) {
                    throw new CaptureFormatException(name, blockOffset + (value - at), "if_tsresol",
                            (binary ? "2^-" : "10^-") + exponent, "10^-0..10^-18 or 2^-0..2^-63");
                }
            } else if (code == IF_TSOFFSET && optionLength >= 8) {
                offsetSeconds = fields.i64(buffer, value);
            } else if (code == IF_NAME) {
                byte[] text = new byte[optionLength];
                buffer.get(value, text);
                interfaceName = new String(text, StandardCharsets.UTF_8).replace("\0", "");
            }
            option = value + ((optionLength + 3) & ~3);
        }
        PcapNgInterface description = new PcapNgInterface(linkType, snaplen, exponent, binary, offsetSeconds,
                interfaceName);
        interfaces.add(description);
        allInterfaces.add(description);
    }

    private PcapNgInterface interfaceFor(long id, long fieldOffset) throws CaptureFormatException {
        if (id >= interfaces.size()) {
            throw new CaptureFormatException(name, fieldOffset, "interface id", Long.toString(id),
                    interfaces.isEmpty() ? "an Interface Description Block before packets"
                            : "less than " + interfaces.size() + ", the interfaces described in this section");
        }
        return interfaces.get((int) id);
    }

    private boolean enhancedPacket(Frame frame, ByteBuffer buffer, int at, int length, long blockOffset)
            throws CaptureFormatException {
        requireLength(length, 32, "enhanced packet block length", blockOffset);
        long id = fields.u32(buffer, at + 8);
        PcapNgInterface description = interfaceFor(id, blockOffset + 8);
        long units = (fields.u32(buffer, at + 12) << 32) | fields.u32(buffer, at + 16);
        long captured = fields.u32(buffer, at + 20);
        long original = fields.u32(buffer, at + 24);
        checkCaptured(captured, length - 32, blockOffset + 20);
        return emit(frame, buffer, at + 28, (int) captured, original, description.toNanos(units),
                description.linkType(), (int) id, blockOffset);
    }

    private boolean obsoletePacket(Frame frame, ByteBuffer buffer, int at, int length, long blockOffset)
            throws CaptureFormatException {
        requireLength(length, 32, "packet block length", blockOffset);
        int id = fields.u16(buffer, at + 8);
        PcapNgInterface description = interfaceFor(id, blockOffset + 8);
        long units = (fields.u32(buffer, at + 12) << 32) | fields.u32(buffer, at + 16);
        long captured = fields.u32(buffer, at + 20);
        long original = fields.u32(buffer, at + 24);
        checkCaptured(captured, length - 32, blockOffset + 20);
        return emit(frame, buffer, at + 28, (int) captured, original, description.toNanos(units),
                description.linkType(), id, blockOffset);
    }

    /** A Simple Packet Block has no timestamp: it carries the previous packet's time. */
    private boolean simplePacket(Frame frame, ByteBuffer buffer, int at, int length, long blockOffset)
            throws CaptureFormatException {
        requireLength(length, 16, "simple packet block length", blockOffset);
        PcapNgInterface description = interfaceFor(0, blockOffset + 8);
        long original = fields.u32(buffer, at + 8);
        long captured = Math.min(original, length - 16);
        if (description.snaplen() > 0) {
            captured = Math.min(captured, description.snaplen());
        }
        return emit(frame, buffer, at + 12, (int) captured, original, lastTimestamp, description.linkType(), 0,
                blockOffset);
    }

    private boolean emit(Frame frame, ByteBuffer buffer, int data, int captured, long original, long timestamp,
            int linkType, int interfaceId, long blockOffset) {
        lastTimestamp = timestamp;
        frame.set(buffer, data, captured, (int) Math.min(original, Integer.MAX_VALUE), timestamp, linkType,
                interfaceId, blockOffset, ++number);
        return true;
    }

    private void requireLength(int length, int minimum, String what, long blockOffset) throws CaptureFormatException {
        if (length < minimum) {
            throw new CaptureFormatException(name, blockOffset + 4, what, length + " bytes", "at least " + minimum);
        }
    }

    private void checkCaptured(long captured, int room, long fieldOffset) throws CaptureFormatException {
        if (captured > room) {
            throw new CaptureFormatException(name, fieldOffset, "captured length", captured + " bytes",
                    "at most " + room + " bytes, the room in its block");
        }
    }

    private void truncated(long offset, int available, int wanted, String what) {
        warnings.add(new CaptureWarning(name, offset, "truncated last " + what + ": " + available + " of " + wanted
                + " bytes present; the capture ends here"));
    }

    /** Every interface described so far, over all sections, in file order. */
    public List<PcapNgInterface> interfaces() {
        return List.copyOf(allInterfaces);
    }

    public int sections() {
        return sections;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String format() {
        return "pcapng";
    }

    @Override
    public String details() {
        return "pcapng, " + sections + (sections == 1 ? " section, " : " sections, ") + allInterfaces.size()
                + (allInterfaces.size() == 1 ? " interface" : " interfaces");
    }

    @Override
    public List<CaptureWarning> warnings() {
        return warnings;
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
