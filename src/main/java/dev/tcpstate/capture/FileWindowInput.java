package dev.tcpstate.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file read window by window into one reused direct buffer. A record that would cross the
 * window's end starts the next window, so every record is contiguous in the buffer; a record
 * larger than the window gets a larger buffer.
 *
 * <p>Reading instead of mapping keeps the capture out of the process's resident memory: a mapped
 * file's pages count towards it (a 1.9 GB capture made a 1.9 GB larger peak RSS), and reading into
 * a warm buffer is as fast, since the decoder only ever looks at the buffer.
 */
final class FileWindowInput extends ByteInput {
    static final int DEFAULT_WINDOW = 8 << 20;

    private final FileChannel channel;
    private final long size;
    private ByteBuffer window;
    private long windowStart;
    private int index;

    FileWindowInput(FileChannel channel) throws IOException {
        this(channel, DEFAULT_WINDOW);
    }

    /** {@code windowSize} is adjustable so tests can cross window ends on small files. */
    FileWindowInput(FileChannel channel, int windowSize) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.window = ByteBuffer.allocateDirect(Math.max(1, windowSize));
        fill(0, 0);
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
            fill(position, (int) available);
        }
        return (int) available;
    }

    /** Reads the window that starts at {@code start} and holds at least {@code atLeast} bytes. */
    private void fill(long start, int atLeast) throws IOException {
        if (atLeast > window.capacity()) {
            window = ByteBuffer.allocateDirect(atLeast);
        }
        window.clear();
        window.limit((int) Math.min(window.capacity(), size - start));
        while (window.hasRemaining()) {
            if (channel.read(window, start + window.position()) < 0) {
                throw new IOException("the file ended at byte " + (start + window.position()) + " of " + size
                        + " while it was being read (did it shrink?)");
            }
        }
        window.flip();
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
