package dev.tcpstate.decode;

/**
 * One decoded TCP segment, as a view the decoder fills again for every frame: copy what must
 * outlive the next call. Addresses are 128-bit as two longs; IPv4 addresses are IPv4-mapped
 * ({@code ::ffff:a.b.c.d}), so one key shape serves both versions. Sequence and acknowledgement
 * numbers stay raw {@code int}s: compare them only with wrap-safe sequence arithmetic.
 */
public final class TcpSegment {
    /** Fewest SACK blocks a header can carry is 4 (40 option bytes); more cannot fit. */
    public static final int MAX_SACK_BLOCKS = 4;
    static final long IPV4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    long timestampNanos;
    long frameNumber;
    int ipVersion;
    long sourceHigh;
    long sourceLow;
    long destinationHigh;
    long destinationLow;
    int ttl;
    int ipLength;
    boolean firstFragment;
    int encapsulations;
    long tunnelParent;
    int sourcePort;
    int destinationPort;
    int sequence;
    int acknowledgement;
    int flags;
    int window;
    int urgentPointer;
    int headerLength;
    int payloadLength;
    int payloadCaptured;
    ChecksumStatus checksum = ChecksumStatus.UNCHECKED;
    int mss;
    int windowScale;
    boolean sackPermitted;
    int sackBlocks;
    final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    final int[] sackRight = new int[MAX_SACK_BLOCKS];
    boolean hasTimestamps;
    int timestampValue;
    int timestampEcho;
    boolean optionsMalformed;
    boolean optionsTruncated;

    /** Bytes {@link #writeTo} writes. */
    public static final int ENCODED_BYTES = 8 + 8 + 4 * 8 + 8 + 4 * 21 + 4 * 2 * MAX_SACK_BLOCKS + 6;

    /**
     * Writes every field of the segment, for {@link #readFrom} to fill a segment elsewhere with the
     * same values: the Flink job decodes frames where it reads them and tracks connections on
     * other machines.
     */
    public void writeTo(java.nio.ByteBuffer out) {
        out.putLong(timestampNanos).putLong(frameNumber);
        out.putLong(sourceHigh).putLong(sourceLow).putLong(destinationHigh).putLong(destinationLow);
        out.putLong(tunnelParent);
        out.putInt(ipVersion).putInt(ttl).putInt(ipLength).putInt(encapsulations).putInt(sourcePort)
                .putInt(destinationPort).putInt(sequence).putInt(acknowledgement).putInt(flags).putInt(window)
                .putInt(urgentPointer).putInt(headerLength).putInt(payloadLength).putInt(payloadCaptured)
                .putInt(checksum.ordinal()).putInt(mss).putInt(windowScale).putInt(sackBlocks)
                .putInt(timestampValue).putInt(timestampEcho).putInt(0);
        for (int i = 0; i < MAX_SACK_BLOCKS; i++) {
            out.putInt(sackLeft[i]).putInt(sackRight[i]);
        }
        out.put(bit(firstFragment)).put(bit(sackPermitted)).put(bit(hasTimestamps)).put(bit(optionsMalformed))
                .put(bit(optionsTruncated)).put((byte) 0);
    }

    /** Fills this segment from what {@link #writeTo} wrote. */
    public void readFrom(java.nio.ByteBuffer in) {
        timestampNanos = in.getLong();
        frameNumber = in.getLong();
        sourceHigh = in.getLong();
        sourceLow = in.getLong();
        destinationHigh = in.getLong();
        destinationLow = in.getLong();
        tunnelParent = in.getLong();
        ipVersion = in.getInt();
        ttl = in.getInt();
        ipLength = in.getInt();
        encapsulations = in.getInt();
        sourcePort = in.getInt();
        destinationPort = in.getInt();
        sequence = in.getInt();
        acknowledgement = in.getInt();
        flags = in.getInt();
        window = in.getInt();
        urgentPointer = in.getInt();
        headerLength = in.getInt();
        payloadLength = in.getInt();
        payloadCaptured = in.getInt();
        checksum = CHECKSUMS[in.getInt()];
        mss = in.getInt();
        windowScale = in.getInt();
        sackBlocks = in.getInt();
        timestampValue = in.getInt();
        timestampEcho = in.getInt();
        in.getInt();
        for (int i = 0; i < MAX_SACK_BLOCKS; i++) {
            sackLeft[i] = in.getInt();
            sackRight[i] = in.getInt();
        }
        firstFragment = in.get() != 0;
        sackPermitted = in.get() != 0;
        hasTimestamps = in.get() != 0;
        optionsMalformed = in.get() != 0;
        optionsTruncated = in.get() != 0;
        in.get();
    }

    private static final ChecksumStatus[] CHECKSUMS = ChecksumStatus.values();

    private static byte bit(boolean value) {
        return value ? (byte) 1 : (byte) 0;
    }

    void resetOptions() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        sackBlocks = 0;
        hasTimestamps = false;
        timestampValue = 0;
        timestampEcho = 0;
        optionsMalformed = false;
        optionsTruncated = false;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    public long frameNumber() {
        return frameNumber;
    }

    /**
     * Gives the segment another frame number: for a reader that numbers frames across several
     * files (the Flink job puts the file's index above each file's own numbers).
     */
    public void renumber(long value) {
        frameNumber = value;
    }

    /** Sets the frame number of a segment built outside a reader (tests, tools). */
    public void frameNumberForTests(long value) {
        frameNumber = value;
    }

    /** 4 or 6. */
    public int ipVersion() {
        return ipVersion;
    }

    public long sourceHigh() {
        return sourceHigh;
    }

    public long sourceLow() {
        return sourceLow;
    }

    public long destinationHigh() {
        return destinationHigh;
    }

    public long destinationLow() {
        return destinationLow;
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl() {
        return ttl;
    }

    /** Bytes of the IP datagram as its header says (IPv4 total length; IPv6 40 + payload length). */
    public int ipLength() {
        return ipLength;
    }

    /** The first fragment of a fragmented datagram: the payload goes on in other frames. */
    public boolean firstFragment() {
        return firstFragment;
    }

    /** How many tunnels (GRE, VXLAN, Geneve, GTP-U, Teredo, AYIYA, IP-in-IP) the segment came through; 0 when it was not tunnelled. */
    public int encapsulations() {
        return encapsulations;
    }

    /**
     * The {@link TunnelUid} of the tunnel that carried the segment, the innermost when tunnels
     * nest (Zeek's {@code tunnel_parents} names the immediate parent); 0 when it was not tunnelled.
     */
    public long tunnelParent() {
        return tunnelParent;
    }

    public int sourcePort() {
        return sourcePort;
    }

    public int destinationPort() {
        return destinationPort;
    }

    public int sequence() {
        return sequence;
    }

    public int acknowledgement() {
        return acknowledgement;
    }

    /** {@link TcpFlags} bits. */
    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The raw, unscaled window field. */
    public int window() {
        return window;
    }

    public int urgentPointer() {
        return urgentPointer;
    }

    /** TCP header length in bytes (data offset × 4). */
    public int headerLength() {
        return headerLength;
    }

    /** Payload bytes the segment carries, from the IP length (not the captured length). */
    public int payloadLength() {
        return payloadLength;
    }

    /** Payload bytes present in the capture (fewer than {@link #payloadLength()} under a snaplen). */
    public int payloadCaptured() {
        return payloadCaptured;
    }

    /**
     * Sequence space the segment occupies: payload, plus one each for SYN and FIN.
     */
    public int sequenceLength() {
        return payloadLength + (flags & TcpFlags.SYN) / TcpFlags.SYN + (flags & TcpFlags.FIN);
    }

    public ChecksumStatus checksum() {
        return checksum;
    }

    /** MSS option value, or -1 when absent. */
    public int mss() {
        return mss;
    }

    /** Window-scale shift count, or -1 when absent. */
    public int windowScale() {
        return windowScale;
    }

    public boolean sackPermitted() {
        return sackPermitted;
    }

    public int sackBlocks() {
        return sackBlocks;
    }

    public int sackLeft(int block) {
        return sackLeft[block];
    }

    public int sackRight(int block) {
        return sackRight[block];
    }

    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    public int timestampValue() {
        return timestampValue;
    }

    public int timestampEcho() {
        return timestampEcho;
    }

    /** An option's length was impossible; parsing of options stopped there. */
    public boolean optionsMalformed() {
        return optionsMalformed;
    }

    /** The snaplen cut the options off; those not captured are unknown. */
    public boolean optionsTruncated() {
        return optionsTruncated;
    }

    /** Text form of the source address (allocates; not for the hot path). */
    public String sourceAddress() {
        return IpAddresses.format(sourceHigh, sourceLow);
    }

    /** Text form of the destination address (allocates; not for the hot path). */
    public String destinationAddress() {
        return IpAddresses.format(destinationHigh, destinationLow);
    }

    @Override
    public String toString() {
        return sourceAddress() + ":" + sourcePort + " > " + destinationAddress() + ":" + destinationPort + " ["
                + TcpFlags.format(flags) + "] seq " + Integer.toUnsignedString(sequence) + " ack "
                + Integer.toUnsignedString(acknowledgement) + " win " + window + " len " + payloadLength;
    }
}
