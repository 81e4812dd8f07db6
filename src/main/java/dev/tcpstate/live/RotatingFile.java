package dev.tcpstate.live;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code watch --output FILE}: the event stream to a file that a service can leave running. When
 * the file has reached {@code maxBytes} it is renamed {@code FILE.1} (the older ones moving up to
 * {@code FILE.keep}, the oldest dropped) and a new FILE begins, as logrotate would do. It turns
 * only on a flush, which the event writer does after whole events, so no line is ever split
 * between two files.
 */
public final class RotatingFile extends Writer {
    private final Path path;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long written;

    public RotatingFile(Path path, long maxBytes, int keep) throws IOException {
        if (maxBytes < 1 || keep < 1) {
            throw new IllegalArgumentException("rotation needs a positive size and at least one old file");
        }
        this.path = path;
        this.maxBytes = maxBytes;
        this.keep = keep;
        open();
    }

    private void open() throws IOException {
        // buffered: the event writer flushes after whole events, at most every 100 ms
        out = new java.io.BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), 1 << 16);
        written = Files.size(path);
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        byte[] bytes = new String(chars, offset, length).getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        written += bytes.length;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
        if (written >= maxBytes) {
            rotate();
        }
    }

    private void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(old(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(old(i))) {
                Files.move(old(i), old(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, old(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path old(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
