package dev.tcpstate.flink;

/**
 * What the capture source emits (a Flink POJO): a decoded TCP segment with its canonical
 * four-tuple, or, once per file, the file's end with what the other stages need from the whole
 * read (its last frame time, the payload its snapshot length cut, where it turned out corrupt).
 */
public class CaptureEvent {
    public static final byte PACKET = 0;
    public static final byte FILE_END = 1;

    public byte kind;
    /** Packet time (a packet), or the file's last frame time (a file's end), in ns since the epoch. */
    public long timestampNanos;
    // the canonical four-tuple: the lower endpoint first (TupleKey)
    public long lowerHigh;
    public long lowerLow;
    public long upperHigh;
    public long upperLow;
    /** The lower endpoint's port in the high 16 bits, the upper's in the low. */
    public int ports;
    /** The file's index above the frame's number in it: the order of packets of one moment. */
    public long order;
    public boolean badChecksum;
    /** The segment as {@code TcpSegment.writeTo} wrote it. */
    public byte[] segment;
    // a file's end
    public long truncatedPayloadBytes;
    public long frames;
    /** Where the file turned out corrupt, as the CLI says it; null when it did not. */
    public String failure;
    /** What did not stop the reading (a cut last record), as the CLI says it, a line each; null when none. */
    public String warnings;

    public CaptureEvent() {
    }

    public boolean isPacket() {
        return kind == PACKET;
    }
}
