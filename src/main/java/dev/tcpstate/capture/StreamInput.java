package dev.tcpstate.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A capture read sequentially from a stream (gzip, stdin, a pipe) into one reused array, which is
 * compacted when a record would cross its end and grown only for a record larger than it.
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
            compact(length);
        }
        while (end - start < length) {
            int read = in.read(array, end, array.length - end);
            if (read < 0) {
                eof = true;
                break;
            }
            end += read;
        }
        return Math.min(length, end - start);
    }

    private void compact(int length) {
        int live = end - start;
        if (length > array.length) {
            byte[] bigger = new byte[Math.max(length, array.length * 2)];
            System.arraycopy(array, start, bigger, 0, live);
            array = bigger;
            buffer = ByteBuffer.wrap(array);
        } else {
            System.arraycopy(array, start, array, 0, live);
        }
        start = 0;
        end = live;
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
