package dev.tcpstate.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Standard input or a pipe, read on a thread of its own so that {@link #end()} can end it: a read
 * blocked on a pipe cannot be interrupted, so the capture's reader waits here instead. After
 * {@code end()} the reader gets the bytes that had already arrived, then the end of the stream,
 * as if the writer had closed the pipe. The thread keeps at most 1 MiB read ahead.
 */
final class EndableInput extends InputStream {
    private static final int CHUNK = 1 << 16;
    private static final int MAX_CHUNKS = 16;
    /** Those open now, for {@link #endAll()}. */
    private static final Set<EndableInput> OPEN = ConcurrentHashMap.newKeySet();

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private byte[] current = new byte[0];
    private int position;
    /** No more chunks come: the stream ended or failed, or end() was called. */
    private boolean finished;
    private IOException failure;

    /** Starts reading {@code in} on a daemon thread named {@code threadName}; that thread closes it. */
    static EndableInput open(InputStream in, String threadName) {
        EndableInput input = new EndableInput(in, threadName);
        OPEN.add(input);
        return input;
    }

    /** Ends every one open now. */
    static void endAll() {
        OPEN.forEach(EndableInput::end);
    }

    private EndableInput(InputStream in, String threadName) {
        Thread pump = new Thread(() -> pump(in), threadName);
        pump.setDaemon(true); // still blocked in read() after end(): it must not keep the JVM up
        pump.start();
    }

    private void pump(InputStream in) {
        byte[] buffer = new byte[CHUNK];
        try (in) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (read > 0 && !offer(Arrays.copyOf(buffer, read))) {
                    return; // ended: what arrives after the signal is not read
                }
            }
            finish(null);
        } catch (IOException e) {
            finish(e);
        } catch (InterruptedException e) {
            finish(new InterruptedIOException("reading interrupted"));
        }
    }

    private synchronized boolean offer(byte[] chunk) throws InterruptedException {
        while (chunks.size() >= MAX_CHUNKS && !finished) {
            wait();
        }
        if (finished) {
            return false;
        }
        chunks.add(chunk);
        notifyAll();
        return true;
    }

    private synchronized void finish(IOException failure) {
        if (!finished) {
            finished = true;
            this.failure = failure;
        }
        notifyAll();
    }

    /** The stream ends after the bytes that have arrived (callable from any thread, e.g. a signal handler's). */
    void end() {
        finish(null);
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (position == current.length) {
            byte[] next = chunks.poll();
            if (next != null) {
                current = next;
                position = 0;
                notifyAll(); // room for the reading thread
            } else if (finished) {
                if (failure != null) {
                    throw failure;
                }
                return -1;
            } else {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("reading interrupted");
                }
            }
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public void close() {
        OPEN.remove(this);
        end();
    }
}
