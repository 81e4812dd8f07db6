package dev.tcpstate.capture;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens a capture file or stdin with the pure-Java readers, choosing the format by its magic:
 * pcap or pcapng, either of them gzip-compressed (by magic, whatever the file is called). Regular
 * files are read window by window into one buffer; gzip, stdin and pipes are read sequentially. No native library is touched.
 */
public final class CaptureFiles {
    /** The name that means standard input. */
    public static final String STDIN = "-";
    private static final int GZIP_MAGIC = 0x1F8B;
    private static final int STREAM_BUFFER = 1 << 16;

    private CaptureFiles() {
    }

    /** Opens {@code path} ("-" for stdin). */
    public static PacketSource open(String path) throws IOException {
        return open(path, 1);
    }

    /**
     * Opens {@code path} as one of {@code openAtOnce} captures read side by side: each file's read
     * buffers shrink as more are open, so a thousand rotated files do not take gigabytes.
     */
    public static PacketSource open(String path, int openAtOnce) throws IOException {
        if (STDIN.equals(path)) {
            return openStream("<stdin>", EndableInput.open(System.in, "tcpstate-stdin"));
        }
        Path file = Path.of(path);
        if (Files.isDirectory(file)) {
            throw new IOException(path + ": is a directory (expected: a pcap or pcapng file)");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A named pipe or process substitution (<(zcat x.pcap.gz)): it can only be read in order.
            try {
                return openStream(path, EndableInput.open(new java.io.FileInputStream(file.toFile()), "tcpstate-pipe"));
            } catch (java.io.FileNotFoundException e) {
                throw new IOException(path + ": cannot open (" + e.getMessage() + ")");
            }
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IOException(path + ": permission denied");
        }
        try {
            if (startsWithGzipMagic(channel)) {
                channel.close();
                return openStream(path, new java.io.FileInputStream(file.toFile()));
            }
            int window = (int) Math.max(FileWindowInput.MIN_WINDOW,
                    Math.min(FileWindowInput.DEFAULT_WINDOW, (64L << 20) / Math.max(1, openAtOnce)));
            return forMagic(path, new FileWindowInput(channel, window));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Whether {@code path} is read as a stream that only its writer ends: stdin or a named pipe
     * (not a regular file, nor a directory).
     */
    public static boolean isStream(String path) {
        if (STDIN.equals(path)) {
            return true;
        }
        Path file = Path.of(path);
        return Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file);
    }

    /**
     * Ends every stdin or pipe capture being read now after the bytes that have arrived, as if
     * its writer had closed it: for Ctrl-C on {@code tcpdump -w - | tcpstate stats -}, so that
     * the command reports what it read instead of dying with it. Safe from a signal handler.
     */
    public static void endStreams() {
        EndableInput.endAll();
    }

    /** Opens a capture arriving on a stream; gzip is recognised by its magic. */
    public static PacketSource openStream(String name, InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, STREAM_BUFFER);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (((first << 8) | second) == GZIP_MAGIC) {
            GzipContent gzip = new GzipContent(name, in);
            return new GzipSource(forMagic(name, new StreamInput(gzip)), gzip);
        }
        return forMagic(name, new StreamInput(in));
    }

    /**
     * A capture inside gzip: also says when the gzip stream itself was cut (no end-of-stream
     * trailer) though the capture inside ends on a whole record.
     */
    private record GzipSource(PacketSource capture, GzipContent gzip) implements PacketSource {
        @Override
        public boolean next(Frame frame) throws IOException {
            return capture.next(frame);
        }

        @Override
        public String name() {
            return capture.name();
        }

        @Override
        public String format() {
            return capture.format();
        }

        @Override
        public String details() {
            return capture.details();
        }

        @Override
        public List<CaptureWarning> warnings() {
            if (gzip.cutAt < 0 || !capture.warnings().isEmpty()) {
                return capture.warnings(); // a cut record already says the capture ends early
            }
            List<CaptureWarning> all = new java.util.ArrayList<>(capture.warnings());
            all.add(new CaptureWarning(name(), gzip.cutAt, "gzip stream cut short (no end-of-stream trailer; "
                    + "offset in the uncompressed capture); the capture ends here"));
            return all;
        }

        @Override
        public void close() throws IOException {
            capture.close();
        }
    }

    private static boolean startsWithGzipMagic(FileChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(2);
        while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
            // keep reading until two bytes or the end of the file
        }
        return head.position() == 2 && (head.getShort(0) & 0xFFFF) == GZIP_MAGIC;
    }

    static PacketSource forMagic(String name, ByteInput input) throws IOException {
        int available = input.require(4);
        if (available == 0) {
            input.close();
            throw new CaptureFormatException(name, 0, "file", "empty", "a pcap or pcapng capture");
        }
        if (available < 4) {
            input.close();
            throw new CaptureFormatException(name, 0, "magic", available + " bytes", "4 bytes of pcap or pcapng magic");
        }
        int magic = input.buffer().getInt(input.index());
        try {
            if (magic == PcapNgReader.SECTION_HEADER) {
                return new PcapNgReader(name, input);
            }
            if (isPcapMagic(magic) || isPcapMagic(Integer.reverseBytes(magic))) {
                return new PcapReader(name, input);
            }
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
        input.close();
        throw new CaptureFormatException(name, 0, "magic", PcapReader.hex(magic),
                "pcap a1b2c3d4/a1b23c4d (either byte order), pcapng 0a0d0d0a, or gzip 1f8b");
    }

    private static boolean isPcapMagic(int magic) {
        return magic == PcapReader.MAGIC_MICROS || magic == PcapReader.MAGIC_NANOS
                || magic == PcapReader.MAGIC_MODIFIED;
    }

    /**
     * Gzip content. A stream that ends early reads as a short capture (a warning, like a cut file);
     * corrupt compressed data is an error naming the uncompressed offset reached.
     */
    private static final class GzipContent extends InputStream {
        private final String name;
        private final GZIPInputStream gzip;
        private long produced;
        /** Where the stream ended without its trailer (uncompressed offset); -1 while it has not. */
        long cutAt = -1;

        GzipContent(String name, InputStream in) throws IOException {
            this.name = name;
            this.gzip = header(name, in);
        }

        /** Reads the gzip header, which GZIPInputStream does at once and reports without naming the input. */
        private static GZIPInputStream header(String name, InputStream in) throws IOException {
            try {
                return new GZIPInputStream(in, STREAM_BUFFER);
            } catch (EOFException e) {
                throw new CaptureFormatException(name, 0, "gzip header", "cut short",
                        "a whole gzip header (RFC 1952: 10 bytes and the optional fields its flags announce)");
            } catch (ZipException e) {
                throw new CaptureFormatException(name, 0, "gzip header", e.getMessage(),
                        "a valid gzip header (RFC 1952, compression method 8: deflate)");
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int read = gzip.read(b, off, len);
                if (read > 0) {
                    produced += read;
                }
                return read;
            } catch (EOFException e) {
                cutAt = produced;
                return -1;
            } catch (ZipException e) {
                throw new CaptureFormatException(name, produced, "gzip data", e.getMessage(),
                        "a valid gzip stream (offset is in the uncompressed capture)");
            }
        }

        @Override
        public void close() throws IOException {
            gzip.close();
        }
    }
}
