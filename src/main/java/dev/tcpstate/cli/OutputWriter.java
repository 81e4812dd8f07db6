package dev.tcpstate.cli;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A PrintWriter that remembers why a write failed. PrintWriter swallows write errors and only
 * says that one happened ({@link #checkError()}); a full disk or a closed pipe deserves its reason.
 */
public final class OutputWriter extends java.io.PrintWriter {
    private final Recorder recorder;

    public OutputWriter(OutputStream out, Charset charset) {
        this(new Recorder(out), charset);
    }

    private OutputWriter(Recorder recorder, Charset charset) {
        super(new BufferedWriter(new OutputStreamWriter(recorder, charset)), false);
        this.recorder = recorder;
    }

    /** Opens {@code file} for writing; the exception says which file and why it cannot be. */
    static OutputWriter open(Path file) throws OutputException {
        try {
            return new OutputWriter(Files.newOutputStream(file), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OutputException(file.toString(), e);
        }
    }

    /** The first write failure's reason, once {@link #checkError()} said there was one. */
    public Optional<String> failure() {
        return Optional.ofNullable(recorder.failure).map(OutputWriter::reason);
    }

    /**
     * What the OS said, in a few words: NIO's exceptions carry the path as their message and the
     * reason apart, or (no such file, permission denied) only in their type.
     */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Passes bytes on and keeps the first failure. */
    private static final class Recorder extends FilterOutputStream {
        private IOException failure;

        Recorder(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw remember(e);
            }
        }

        private IOException remember(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }

    /** The output (a file or standard output) could not be written: exit code 6, not "bad input". */
    static final class OutputException extends IOException {
        private static final long serialVersionUID = 1L;

        OutputException(String target, IOException cause) {
            this(target, reason(cause));
            initCause(cause);
        }

        OutputException(String target, String reason) {
            super("cannot write " + target + ": " + reason);
        }
    }
}
