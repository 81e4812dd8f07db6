package dev.tcpstate.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file read through memory-mapped windows. One mapping holds at most 2 GiB, so larger files are
 * mapped window by window; a record that would cross a window's end causes a new window to be
 * mapped starting at that record, so every record is contiguous in one buffer.
 */
final class MappedFileInput extends ByteInput {
    static final long DEFAULT_WINDOW = 1L << 30;

    private final FileChannel channel;
    private final long size;
    private final long windowSize;
    private MappedByteBuffer window;
    private long windowStart;
    private int index;

    MappedFileInput(FileChannel channel) throws IOException {
        this(channel, DEFAULT_WINDOW);
    }

    /** {@code windowSize} is adjustable so tests can cross window boundaries on small files. */
    MappedFileInput(FileChannel channel, long windowSize) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.windowSize = windowSize;
        map(0, 0);
    }

    @Override
    long position() {
        return windowStart + index;
    }

    @Override
    int require(int length) throws IOException {
        long position = position();
        long available = Math.min(length, size - position);
        if (index + available > window.limit()) {
            map(position, (int) available);
        }
        return (int) available;
    }

    private void map(long start, int atLeast) throws IOException {
        long length = Math.min(Math.max(windowSize, atLeast), size - start);
        window = channel.map(FileChannel.MapMode.READ_ONLY, start, length);
        windowStart = start;
        index = 0;
    }

    @Override
    ByteBuffer buffer() {
        return window;
    }

    @Override
    int index() {
        return index;
    }

    @Override
    void advance(int length) {
        index += length;
    }

    @Override
    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
