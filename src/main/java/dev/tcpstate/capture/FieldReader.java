package dev.tcpstate.capture;

import java.nio.ByteBuffer;

/** Reads a container's header fields in the byte order the file was written in. */
final class FieldReader {
    private final boolean swapped;

    /** {@code swapped}: the file is little-endian (buffers are always read big-endian). */
    FieldReader(boolean swapped) {
        this.swapped = swapped;
    }

    boolean swapped() {
        return swapped;
    }

    int u16(ByteBuffer buffer, int index) {
        short value = buffer.getShort(index);
        return (swapped ? Short.reverseBytes(value) : value) & 0xFFFF;
    }

    int i32(ByteBuffer buffer, int index) {
        int value = buffer.getInt(index);
        return swapped ? Integer.reverseBytes(value) : value;
    }

    long u32(ByteBuffer buffer, int index) {
        return i32(buffer, index) & 0xFFFF_FFFFL;
    }

    long i64(ByteBuffer buffer, int index) {
        long value = buffer.getLong(index);
        return swapped ? Long.reverseBytes(value) : value;
    }
}
