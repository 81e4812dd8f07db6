package dev.tcpstate.capture;

import java.io.IOException;
import java.util.List;

/**
 * A stream of captured frames. {@link #next(Frame)} fills the caller's frame view and returns
 * false at the end of the input; it never allocates per frame in the pure-Java readers.
 */
public interface PacketSource extends AutoCloseable {

    /**
     * Reads the next frame into {@code frame}.
     *
     * @return false at the end of the input (the frame is then left unchanged)
     * @throws CaptureFormatException when the container is broken (bad magic, lying lengths)
     * @throws IOException when the input cannot be read
     */
    boolean next(Frame frame) throws IOException;

    /** What this source reads, as it appears in messages ("file.pcap", "&lt;stdin&gt;", "eth0"). */
    String name();

    /** The container format ("pcap", "pcapng", "live"). */
    String format();

    /** Format details for reports, e.g. "pcap 2.4, little-endian, microseconds, snaplen 262144". */
    default String details() {
        return format();
    }

    /** Problems that did not stop reading, such as a truncated last record. */
    List<CaptureWarning> warnings();

    @Override
    void close() throws IOException;
}
