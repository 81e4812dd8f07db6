package dev.tcpstate.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A file read window by window into direct buffers, the next window read by a helper thread while
 * the current one is decoded. A record that would cross the window's end starts the next window,
 * so every record is contiguous in one buffer; a record larger than a window gets a buffer of its
 * own.
 *
 * <p>Reading instead of mapping keeps the capture out of the process's resident memory (a mapped
 * file's pages count towards it). Reading ahead on another thread makes a capture that is not in
 * the page cache cost the slower of the disk and the analysis, not the two added up.
 */
final class FileWindowInput extends ByteInput {
    static final int DEFAULT_WINDOW = 4 << 20;
    /** The smallest window a file gets when many are open at once. */
    static final int MIN_WINDOW = 64 << 10;
    /**
     * Room kept in front of a window read ahead, for the part of a record that the previous
     * window ended in the middle of (a record as large as the usual 262,144-byte snaplen fits; a
     * larger one is read where it starts).
     */
    private static final int CARRY = 256 << 10;
    /** Reads ahead for every open file; a thread per read at most, and idle ones go. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(work -> {
        Thread thread = new Thread(work, "tcpstate-read-ahead");
        thread.setDaemon(true);
        return thread;
    });

    private final FileChannel channel;
    private final long size;
    private final int windowSize;
    /** The current window: file bytes from {@code windowStart} sit in it from {@code base} up to its limit. */
    private ByteBuffer window;
    private long windowStart;
    private int base;
    private int index;
    /** The window being read ahead: the file from {@code aheadStart} into {@code ahead} at {@link #CARRY}. */
    private ByteBuffer ahead;
    private long aheadStart = -1;
    private CompletableFuture<Void> reading;

    FileWindowInput(FileChannel channel) throws IOException {
        this(channel, DEFAULT_WINDOW);
    }

    /** {@code windowSize} is adjustable so tests can cross window ends on small files. */
    FileWindowInput(FileChannel channel, int windowSize) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.windowSize = Math.max(1, windowSize);
        this.window = ByteBuffer.allocateDirect(CARRY + this.windowSize);
        this.ahead = ByteBuffer.allocateDirect(CARRY + this.windowSize);
        readInto(window, CARRY, 0, this.windowSize);
        windowStart = 0;
        base = CARRY;
        index = CARRY;
        readAhead();
    }

    @Override
    long position() {
        return windowStart + (index - base);
    }

    @Override
    int require(int length) throws IOException {
        long position = position();
        long available = Math.min(length, size - position);
        if (index + available > window.limit()) {
            next(position, (int) available);
        }
        return (int) available;
    }

    /** Makes the window start at {@code start} (inside or at the end of the current one) with {@code atLeast} bytes. */
    private void next(long start, int atLeast) throws IOException {
        int carried = (int) (windowStart + (window.limit() - base) - start); // what the current window holds from start
        long windowEnd = start + carried;
        awaitReading();
        if (aheadStart == windowEnd && carried <= CARRY && carried + (ahead.limit() - CARRY) >= Math.min(atLeast,
                size - start)) {
            // the usual case: the tail of the current window goes in front of the window read ahead
            ByteBuffer tail = window.duplicate();
            tail.position(index).limit(index + carried);
            ahead.position(CARRY - carried);
            ahead.put(tail);
            ByteBuffer done = window;
            window = ahead;
            ahead = done;
            base = CARRY - carried;
        } else {
            // a record larger than a window, or a jump: read it where it starts
            if (CARRY + atLeast > window.capacity()) {
                window = ByteBuffer.allocateDirect(CARRY + atLeast);
            }
            readInto(window, CARRY, start, Math.max(windowSize, atLeast));
            base = CARRY;
        }
        windowStart = start;
        index = base;
        readAhead();
    }

    /** Starts reading the window after the current one into {@code ahead}, on the reader thread. */
    private void readAhead() {
        long from = windowStart + (window.limit() - base);
        aheadStart = from;
        if (from >= size) {
            ahead.clear().position(CARRY).limit(CARRY);
            reading = null;
            return;
        }
        if (ahead.capacity() < CARRY + windowSize) {
            ahead = ByteBuffer.allocateDirect(CARRY + windowSize);
        }
        ByteBuffer target = ahead;
        reading = CompletableFuture.runAsync(() -> {
            try {
                readInto(target, CARRY, from, windowSize);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, READERS);
    }

    private void awaitReading() throws IOException {
        if (reading == null) {
            return;
        }
        try {
            reading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading ahead", e);
        } catch (ExecutionException e) {
            aheadStart = -1; // read it again where it is needed, which reports the error there
            if (!(e.getCause() instanceof UncheckedIOException)) {
                throw new IOException(e.getCause());
            }
        } finally {
            reading = null;
        }
    }

    /** Reads up to {@code length} bytes of the file from {@code start} into {@code buffer} at {@code at}. */
    private void readInto(ByteBuffer buffer, int at, long start, int length) throws IOException {
        buffer.clear();
        buffer.position(at);
        buffer.limit(at + (int) Math.min(length, size - start));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position() - at) < 0) {
                throw new IOException("the file ended at byte " + (start + buffer.position() - at) + " of " + size
                        + " while it was being read (did it shrink?)");
            }
        }
        buffer.position(0);
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
        try {
            awaitReading(); // a read still running must not find the channel closed under it
        } catch (IOException ignored) {
            // nothing more will be read
        } finally {
            channel.close();
        }
    }
}
