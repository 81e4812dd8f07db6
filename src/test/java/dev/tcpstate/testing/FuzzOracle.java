package dev.tcpstate.testing;

import dev.tcpstate.capture.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the fuzz targets accept of any input: success, or an {@link IOException} whose message is
 * one line that names the input (what the CLI turns into exit 3 and prints after "tcpstate: ").
 * Anything else thrown fails the target, and so does a frame pointing outside its buffer or a run
 * that allocates far more than its input could justify (a length field that lies must not turn
 * into an allocation). Also where a target keeps the file it rewrites for each input.
 */
public final class FuzzOracle {
    /**
     * Heap one input may cost: a fixed part (the stream path's 1 MiB read array, gzip buffers,
     * picocli and the reports) plus a multiple of the input's size. A record length of 100 MiB in
     * a 1 KiB input is far beyond it.
     */
    static final long FIXED_ALLOWANCE = 24L << 20;
    static final long PER_INPUT_BYTE = 2048;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzOracle() {
    }

    /** Asserts that {@code failure} is a documented one: one line, naming {@code source} first. */
    public static void assertDocumentedFailure(IOException failure, String source) {
        String message = failure.getMessage();
        if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r")
                || !message.startsWith(source + ": ")) {
            throw new AssertionError("undocumented failure message " + (message == null ? "null" : "\"" + message
                    + "\"") + " (expected one line starting with \"" + source + ": \")", failure);
        }
    }

    /** Asserts that a frame handed out by a reader lies inside its buffer and is numbered in order. */
    public static void assertSaneFrame(Frame frame, long expectedNumber) {
        int limit = frame.buffer().limit();
        if (frame.offset() < 0 || frame.capturedLength() < 0 || frame.originalLength() < 0
                || (long) frame.offset() + frame.capturedLength() > limit || frame.number() != expectedNumber
                || frame.sourceOffset() < 0 || frame.linkType() < 0 || frame.linkType() > 0xFFFF) {
            throw new AssertionError("frame #" + frame.number() + " (expected #" + expectedNumber + ") offset "
                    + frame.offset() + " captured " + frame.capturedLength() + " original " + frame.originalLength()
                    + " link " + frame.linkType() + " source offset " + frame.sourceOffset() + " in a buffer of "
                    + limit);
        }
    }

    /** One run of a fuzz target's body. */
    public interface Run {
        void run() throws Exception;
    }

    /**
     * Runs {@code run} and asserts that this thread allocated no more heap than an input of
     * {@code inputLength} bytes justifies. Loading (and, when fuzzing, instrumenting) the classes
     * of a path taken for the first time allocates on this thread too, so a run over the allowance
     * is repeated and only the second one counts.
     */
    public static void assertBoundedAllocation(int inputLength, Run run) throws Exception {
        long allowed = FIXED_ALLOWANCE + PER_INPUT_BYTE * inputLength;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        run.run();
        if (THREADS.getCurrentThreadAllocatedBytes() - before <= allowed) {
            return;
        }
        before = THREADS.getCurrentThreadAllocatedBytes();
        run.run();
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > allowed) {
            throw new AssertionError("allocated " + allocated + " bytes for a " + inputLength + "-byte input (allowed: "
                    + allowed + "); a length field must not size an allocation");
        }
    }

    /**
     * A file for a fuzz target to rewrite with each input, deleted when the JVM exits: in a RAM
     * file system when there is one (Linux's /dev/shm), since rewriting a file on disk millions of
     * times costs more than reading it.
     */
    public static Path scratchFile(String suffix) {
        Path shm = Path.of("/dev/shm");
        Path directory = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Path file = Files.createTempFile(directory, "tcpstate-fuzz-", suffix);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
