package dev.tcpstate.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A capture read sequentially from a stream (gzip, stdin, a pipe) into one reused array, which is
 * compacted when a record would cross its end and grown only for a record larger than it. It grows
 * by doubling as the record's bytes arrive, never to the length asked for at once: a stream's size
 * is unknown, so a length field that lies (a cut or corrupt capture) must cost no more memory than
 * the bytes that are really there.
 */
final class StreamInput extends ByteInput {
    private static final int INITIAL_CAPACITY = 1 << 20;

    private final InputStream in;
    private byte[] array;
    private ByteBuffer buffer;
    private int start;
    private int end;
    private long consumed;
    private boolean eof;

    StreamInput(InputStream in) {
        this.in = in;
        this.array = new byte[INITIAL_CAPACITY];
        this.buffer = ByteBuffer.wrap(array);
    }

    @Override
    long position() {
        return consumed;
    }

    @Override
    int require(int length) throws IOException {
        if (end - start >= length || eof) {
            return Math.min(length, end - start);
        }
        if (start + length > array.length) {
            compact();
        }
        while (end - start < length) {
            if (end == array.length) {
                grow(length);
            }
            int read = in.read(array, end, array.length - end);
            if (read < 0) {
                eof = true;
                break;
            }
            end += read;
        }
        return Math.min(length, end - start);
    }

    /** Moves the unread bytes to the front of the array. */
    private void compact() {
        int live = end - start;
        System.arraycopy(array, start, array, 0, live);
        start = 0;
        end = live;
    }

    /** Doubles the full array (compacted, so start is 0), up to the {@code length} bytes a record needs. */
    private void grow(int length) {
        byte[] bigger = new byte[(int) Math.min(length, 2L * array.length)];
        System.arraycopy(array, 0, bigger, 0, end);
        array = bigger;
        buffer = ByteBuffer.wrap(array);
    }

    @Override
    ByteBuffer buffer() {
        return buffer;
    }

    @Override
    int index() {
        return start;
    }

    @Override
    void advance(int length) {
        start += length;
        consumed += length;
    }

    @Override
    long size() {
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
