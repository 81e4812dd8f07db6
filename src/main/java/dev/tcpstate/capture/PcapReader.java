package dev.tcpstate.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Classic libpcap format: microsecond and nanosecond magic in either byte order, plus the
 * "modified" (Kuznetzov) variant with 24-byte records. Any snaplen; a record longer than the
 * snaplen is corrupt, a record cut off by the end of the file is a warning.
 */
public final class PcapReader implements PacketSource {
    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;
    static final int MAGIC_MODIFIED = 0xA1B2CD34;
    private static final int FILE_HEADER = 24;
    /** What libpcap accepts as a snaplen when the header's is 0 or absurd. */
    private static final int DEFAULT_MAX_LENGTH = 262_144;

    private final String name;
    private final ByteInput input;
    private final FieldReader fields;
    private final boolean nanos;
    private final int recordHeader;
    private final long snaplen;
    private final long maxRecord;
    private final int linkType;
    private final int versionMajor;
    private final int versionMinor;
    private final List<CaptureWarning> warnings = new ArrayList<>();
    private long number;

    PcapReader(String name, ByteInput input) throws IOException {
        this.name = name;
        this.input = input;
        int available = input.require(FILE_HEADER);
        ByteBuffer buffer = input.buffer();
        int at = input.index();
        if (available < 4) {
            throw new CaptureFormatException(name, 0, "file header", available + " bytes",
                    FILE_HEADER + " bytes of pcap file header");
        }
        int magic = buffer.getInt(at);
        boolean swapped;
        switch (magic) {
            case MAGIC_MICROS, MAGIC_NANOS, MAGIC_MODIFIED -> swapped = false;
            default -> {
                swapped = true;
                magic = Integer.reverseBytes(magic);
                if (magic != MAGIC_MICROS && magic != MAGIC_NANOS && magic != MAGIC_MODIFIED) {
                    throw new CaptureFormatException(name, 0, "magic", hex(buffer.getInt(at)),
                            "a1b2c3d4 or a1b23c4d, either byte order");
                }
            }
        }
        if (available < FILE_HEADER) {
            throw new CaptureFormatException(name, 0, "file header", available + " bytes",
                    FILE_HEADER + " bytes of pcap file header");
        }
        this.fields = new FieldReader(swapped);
        this.nanos = magic == MAGIC_NANOS;
        this.recordHeader = magic == MAGIC_MODIFIED ? 24 : 16;
        this.versionMajor = fields.u16(buffer, at + 4);
        this.versionMinor = fields.u16(buffer, at + 6);
        if (versionMajor != 2) {
            throw new CaptureFormatException(name, 4, "version", versionMajor + "." + versionMinor, "2.x");
        }
        this.snaplen = fields.u32(buffer, at + 16);
        // The top bits of the link-type field carry FCS information, not the type.
        this.linkType = fields.i32(buffer, at + 20) & 0xFFFF;
        this.maxRecord = snaplen == 0 ? DEFAULT_MAX_LENGTH : Math.min(snaplen, ByteInput.MAX_RECORD);
        input.advance(FILE_HEADER);
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        long recordOffset = input.position();
        int available = input.require(recordHeader);
        if (available < recordHeader) {
            if (available > 0) {
                truncated(recordOffset, available, recordHeader, "record header");
            }
            return false;
        }
        ByteBuffer buffer = input.buffer();
        int at = input.index();
        long seconds = fields.u32(buffer, at);
        long fraction = fields.u32(buffer, at + 4);
        long captured = fields.u32(buffer, at + 8);
        long original = fields.u32(buffer, at + 12);
        if (captured > maxRecord) {
            throw new CaptureFormatException(name, recordOffset + 8, "record length", captured + " bytes",
                    "at most the snaplen, " + maxRecord + " bytes");
        }
        if (input.size() >= 0 && captured > input.size() && captured > DEFAULT_MAX_LENGTH) {
            // A file cut short may end inside any record, even its first, so a length running past
            // the end is a cut-off capture. Not one longer than libpcap's largest snaplen and than
            // the whole file: that length is corrupt (a header with a huge snaplen lets it pass).
            throw new CaptureFormatException(name, recordOffset + 8, "record length", captured + " bytes",
                    "at most the " + input.size() + " bytes of the whole file");
        }
        int total = recordHeader + (int) captured;
        available = input.require(total);
        if (available < total) {
            truncated(recordOffset, available, total, "record");
            return false;
        }
        long nanosOfSecond = nanos ? fraction : fraction * 1000;
        frame.set(input.buffer(), input.index() + recordHeader, (int) captured,
                (int) Math.min(original, Integer.MAX_VALUE),
                seconds * 1_000_000_000L + nanosOfSecond, linkType, 0, recordOffset, ++number);
        input.advance(total);
        return true;
    }

    private void truncated(long offset, int available, int wanted, String what) {
        warnings.add(new CaptureWarning(name, offset, "truncated last " + what + ": " + available
                + " of " + wanted + " bytes present; the capture ends here"));
    }

    static String hex(int value) {
        return String.format("%08x", value);
    }

    /** The file header's link type (the same for every record). */
    public int linkType() {
        return linkType;
    }

    public long snaplen() {
        return snaplen;
    }

    public boolean nanosecondResolution() {
        return nanos;
    }

    public boolean littleEndian() {
        return fields.swapped();
    }

    public String version() {
        return versionMajor + "." + versionMinor;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String format() {
        return "pcap";
    }

    @Override
    public String details() {
        return "pcap " + version() + ", " + (littleEndian() ? "little" : "big") + "-endian, "
                + (nanos ? "nanosecond" : "microsecond") + " timestamps, "
                + (recordHeader == 24 ? "modified records, " : "") + "snaplen " + snaplen + ", "
                + LinkType.describe(linkType);
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
