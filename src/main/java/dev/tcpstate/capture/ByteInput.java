package dev.tcpstate.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes of a capture, read forward in records. {@link #require(int)} makes bytes at the
 * current position addressable in {@link #buffer()} at {@link #index()}; both may change on every
 * call to {@code require}, so readers fetch them again after it.
 */
abstract class ByteInput implements Closeable {
    /** The largest record a reader will ask for; bigger lengths are reported as corrupt. */
    static final int MAX_RECORD = 256 << 20;

    /** Absolute position of the next unread byte. */
    abstract long position();

    /**
     * Makes up to {@code length} bytes from the current position available.
     *
     * @return how many are available: {@code length}, or fewer only at the end of the input
     */
    abstract int require(int length) throws IOException;

    /** Buffer holding the bytes made available by the last {@link #require(int)}. */
    abstract ByteBuffer buffer();

    /** Index in {@link #buffer()} of the current position. */
    abstract int index();

    /** Moves past {@code length} bytes, which the last {@code require} made available. */
    abstract void advance(int length);

    /** Total size in bytes when known (a regular file), else -1. */
    abstract long size();
}
