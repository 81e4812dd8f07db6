package dev.tcpstate.capture;

import dev.tcpstate.testing.FuzzOracle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fuzz targets' way of reading capture bytes: as the CLI reads a file, again through a window
 * so small that records cross its end, and as a stream delivered a few bytes at a time. Each read
 * must end in success or a documented failure; the two file reads must agree exactly, and the
 * stream must hand out the same frames as far as both got (only a file knows its size, so only a
 * file can call a length longer than itself corrupt rather than cut off).
 */
final class CaptureFuzzing {
    /** As many files open at once as make the CLI's window its smallest (64 KiB). */
    private static final int MANY_FILES = 1024;
    private static final String STREAM = "<stdin>";
    /** One file per JVM, rewritten for each input: a fuzz run executes millions of them. */
    private static final Path FILE = FuzzOracle.scratchFile(".capture");

    private CaptureFuzzing() {
    }

    /** One frame as a reader described it; the bytes by hash, to keep millions of runs cheap. */
    record Seen(long number, long timestampNanos, int linkType, int interfaceId, int capturedLength,
            int originalLength, long sourceOffset, int dataHash) {
        static Seen of(Frame frame) {
            int hash = 1;
            for (int i = 0; i < frame.capturedLength(); i++) {
                hash = 31 * hash + frame.u8(i);
            }
            return new Seen(frame.number(), frame.timestampNanos(), frame.linkType(), frame.interfaceId(),
                    frame.capturedLength(), frame.originalLength(), frame.sourceOffset(), hash);
        }
    }

    /** What one read produced: every frame, the warnings, and the failure that ended it, if any. */
    record Outcome(List<Seen> frames, List<String> warnings, IOException failure) {
        boolean failed() {
            return failure != null;
        }
    }

    interface Opener {
        PacketSource open() throws IOException;
    }

    /** Reads {@code bytes} every way the CLI can and checks each read and their agreement. */
    static void readEveryWay(byte[] bytes) throws Exception {
        FuzzOracle.assertBoundedAllocation(bytes.length, () -> readEveryWayOnce(bytes));
    }

    private static void readEveryWayOnce(byte[] bytes) {
        write(bytes);
        String file = FILE.toString();
        Outcome cli = read(file, () -> CaptureFiles.open(file, MANY_FILES));
        // a window of 32..1024 bytes, chosen by the input's length so that fuzzing varies it: records
        // cross its end and outgrow it (smaller ones read ahead on another thread too often to fuzz fast);
        // gzip is read as a stream whatever the window, so it has none to compare
        int window = 32 << (bytes.length % 6);
        if (!gzip(bytes)) {
            Outcome small = read(file, () -> smallWindow(file, window));
            if (!cli.equals(small) && !sameFailure(cli, small)) {
                throw new AssertionError("a " + window + "-byte window read differently from the CLI's window:\n"
                        + "  cli:   " + cli + "\n  small: " + small);
            }
        }
        Outcome stream = read(STREAM, () -> CaptureFiles.openStream(STREAM, trickle(bytes, 1 + bytes.length % 13)));
        assertStreamAgrees(cli, stream);
    }

    /** Reads {@code stream} as a stream named {@code name}, checking it as any read is checked. */
    static Outcome read(String name, Opener opener) {
        List<Seen> frames = new ArrayList<>();
        Frame frame = new Frame();
        try (PacketSource source = opener.open()) {
            while (source.next(frame)) {
                FuzzOracle.assertSaneFrame(frame, frames.size() + 1);
                frames.add(Seen.of(frame));
            }
            List<String> warnings = new ArrayList<>();
            for (CaptureWarning warning : source.warnings()) {
                if (!warning.source().equals(name) || warning.message().contains("\n")) {
                    throw new AssertionError("warning " + warning + " does not name " + name + " in one line");
                }
                warnings.add(warning.offset() + ": " + warning.message());
            }
            return new Outcome(frames, warnings, null);
        } catch (IOException failure) {
            FuzzOracle.assertDocumentedFailure(failure, name);
            return new Outcome(frames, List.of(), failure);
        }
    }

    static boolean gzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B;
    }

    /** The two file reads failed alike: same frames before it, same message. */
    private static boolean sameFailure(Outcome a, Outcome b) {
        return a.failed() && b.failed() && a.frames().equals(b.frames())
                && Objects.equals(a.failure().getMessage(), b.failure().getMessage());
    }

    /** A stream agrees with a file read: the same frames as far as both got, all of them if both ended well. */
    static void assertStreamAgrees(Outcome file, Outcome stream) {
        int common = Math.min(file.frames().size(), stream.frames().size());
        boolean agree = file.frames().subList(0, common).equals(stream.frames().subList(0, common));
        if (!file.failed() && !stream.failed()) {
            agree &= file.frames().size() == stream.frames().size() && file.warnings().equals(stream.warnings());
        } else if (!file.failed()) {
            // a file read that ends well leaves the stream nothing to fail on
            agree = false;
        }
        if (!agree) {
            throw new AssertionError("the stream read differently from the file:\n  file:   " + file + "\n  stream: "
                    + stream);
        }
    }

    private static PacketSource smallWindow(String file, int window) throws IOException {
        FileChannel channel = FileChannel.open(Path.of(file), StandardOpenOption.READ);
        try {
            return CaptureFiles.forMagic(file, new FileWindowInput(channel, window));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a pipe may. */
    static InputStream trickle(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    static Path file() {
        return FILE;
    }

    static void write(byte[] bytes) {
        try {
            Files.write(FILE, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
