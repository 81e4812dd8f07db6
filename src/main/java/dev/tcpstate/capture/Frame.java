package dev.tcpstate.capture;

import java.nio.ByteBuffer;

/**
 * One captured frame as a view over a reader's buffer. A source fills the same instance on every
 * call, so the view is valid only until the next call on that source; copy what must outlive it.
 * The buffer is big-endian (network order) and is read with absolute gets only.
 */
public final class Frame {
    private ByteBuffer buffer;
    private int offset;
    private int capturedLength;
    private int originalLength;
    private long timestampNanos;
    private int linkType;
    private int interfaceId;
    private long sourceOffset;
    private long number;

    /** Buffer holding the frame's bytes at {@code offset() .. offset() + capturedLength()}. */
    public ByteBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** Bytes present in the capture (at most the snaplen). */
    public int capturedLength() {
        return capturedLength;
    }

    /** Length of the frame on the wire, as the capture recorded it. */
    public int originalLength() {
        return originalLength;
    }

    /** Capture time in nanoseconds since the Unix epoch. */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** The frame's LINKTYPE_ value (see {@link LinkType}). */
    public int linkType() {
        return linkType;
    }

    /** Interface index within the pcapng section; 0 for classic pcap and live capture. */
    public int interfaceId() {
        return interfaceId;
    }

    /** Byte offset of the frame's record in its (uncompressed) source, for messages. */
    public long sourceOffset() {
        return sourceOffset;
    }

    /** 1-based frame number within its source. */
    public long number() {
        return number;
    }

    /** Unsigned byte at {@code index} relative to the frame start. */
    public int u8(int index) {
        return buffer.get(offset + index) & 0xFF;
    }

    /** Copies the captured bytes out (tests and oracles; not for the hot path). */
    public byte[] copyBytes() {
        byte[] copy = new byte[capturedLength];
        buffer.get(offset, copy, 0, capturedLength);
        return copy;
    }

    void set(ByteBuffer buffer, int offset, int capturedLength, int originalLength,
            long timestampNanos, int linkType, int interfaceId, long sourceOffset, long number) {
        this.buffer = buffer;
        this.offset = offset;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.timestampNanos = timestampNanos;
        this.linkType = linkType;
        this.interfaceId = interfaceId;
        this.sourceOffset = sourceOffset;
        this.number = number;
    }

    /** Points this view at bytes built elsewhere (tests, benchmarks, other sources). */
    public Frame wrap(ByteBuffer buffer, int offset, int capturedLength, int originalLength,
            long timestampNanos, int linkType) {
        set(buffer, offset, capturedLength, originalLength, timestampNanos, linkType, 0, 0, 0);
        return this;
    }
}
