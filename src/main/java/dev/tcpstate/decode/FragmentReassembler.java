package dev.tcpstate.decode;

import java.nio.ByteBuffer;

/**
 * Puts fragmented outer IPv4 datagrams back together, so that a tunnel whose outer packets were
 * fragmented (GTP-U is the usual case) can be followed, as Zeek follows it after its own
 * reassembly. Bounded in every way: {@value #SLOTS} datagrams at once, each at most one IPv4
 * datagram (65,535 bytes) in a buffer the slot gets once and keeps, entries that go
 * {@value #TIMEOUT_SECONDS} s without completing are dropped, and when every slot is busy the
 * oldest train gives way. Nothing is allocated per fragment once a slot has its buffer.
 *
 * <p>Hostile fragments cannot make it read or write out of bounds: a fragment that would end past
 * the largest datagram, a middle fragment whose length is not a multiple of 8, and a train whose
 * last fragment disagrees with what came before are refused (the train is dropped). Overlapping
 * fragments are accepted, the later bytes winning; a duplicate adds nothing to the count of bytes
 * received, so it cannot complete a datagram that has a hole.
 */
final class FragmentReassembler {
    static final int SLOTS = 16;
    static final int TIMEOUT_SECONDS = 30;
    private static final long TIMEOUT_NANOS = TIMEOUT_SECONDS * 1_000_000_000L;
    /** The largest IPv4 payload: a 65,535-byte datagram with a 20-byte header. */
    private static final int MAX_PAYLOAD = 65_535 - 20;
    /** Where payloads start in a slot's buffer: the header goes just before, up to 60 bytes. */
    private static final int BASE = 60;
    private static final int BLOCKS = (MAX_PAYLOAD + 7) / 8;

    private final boolean[] used = new boolean[SLOTS];
    private final int[] sourceAddress = new int[SLOTS];
    private final int[] destinationAddress = new int[SLOTS];
    /** Identification in the high 16 bits, protocol in the low 8. */
    private final int[] idProtocol = new int[SLOTS];
    private final long[] firstSeen = new long[SLOTS];
    /** The datagram's payload length once its last fragment came; -1 before. */
    private final int[] total = new int[SLOTS];
    /** The furthest payload byte any fragment reached. */
    private final int[] reached = new int[SLOTS];
    /** The first fragment's header length once it came; 0 before. */
    private final int[] headerLength = new int[SLOTS];
    private final int[] blocksCovered = new int[SLOTS];
    private final ByteBuffer[] data = new ByteBuffer[SLOTS];
    private final long[][] covered = new long[SLOTS][];
    private ByteBuffer completed;

    /** The buffer of the datagram {@link #add} last completed. */
    ByteBuffer completed() {
        return completed;
    }

    /**
     * Takes the fragment whose IPv4 header is at {@code at} in {@code frame} (header and
     * {@code totalLength} bytes all captured). Returns where the whole datagram starts in
     * {@link #completed()} when this fragment completed it (its header then says its full length
     * and no fragmentation), or -1 while it is incomplete or when the fragment was refused.
     */
    int add(ByteBuffer frame, int at, int ipHeaderLength, int totalLength, long now) {
        int fragment = frame.getShort(at + 6) & 0xFFFF;
        int offset = (fragment & 0x1FFF) * 8;
        boolean more = (fragment & 0x2000) != 0;
        int length = totalLength - ipHeaderLength;
        if (offset + length > MAX_PAYLOAD || (more && (length == 0 || length % 8 != 0))) {
            return -1;
        }
        int source = frame.getInt(at + 12);
        int destination = frame.getInt(at + 16);
        int key = (frame.getShort(at + 4) & 0xFFFF) << 16 | (frame.get(at + 9) & 0xFF);
        int slot = find(source, destination, key, now);
        if (slot < 0) {
            slot = claim(now);
            used[slot] = true;
            sourceAddress[slot] = source;
            destinationAddress[slot] = destination;
            idProtocol[slot] = key;
            firstSeen[slot] = now;
            total[slot] = -1;
            reached[slot] = 0;
            headerLength[slot] = 0;
            blocksCovered[slot] = 0;
            if (data[slot] == null) {
                data[slot] = ByteBuffer.allocate(BASE + MAX_PAYLOAD + 8);
                covered[slot] = new long[(BLOCKS + 63) / 64];
            } else {
                java.util.Arrays.fill(covered[slot], 0);
            }
        }
        int end = offset + length;
        if (!more) {
            if (total[slot] >= 0 && total[slot] != end || reached[slot] > end) {
                used[slot] = false; // two different ends: not one datagram any more
                return -1;
            }
            total[slot] = end;
        } else if (total[slot] >= 0 && end > total[slot]) {
            used[slot] = false;
            return -1;
        }
        ByteBuffer bytes = data[slot];
        bytes.put(BASE + offset, frame, at + ipHeaderLength, length);
        if (offset == 0) {
            bytes.put(BASE - ipHeaderLength, frame, at, ipHeaderLength);
            headerLength[slot] = ipHeaderLength;
        }
        reached[slot] = Math.max(reached[slot], end);
        long[] bits = covered[slot];
        for (int block = offset / 8, last = (end + 7) / 8; block < last; block++) {
            long mask = 1L << (block & 63);
            if ((bits[block >>> 6] & mask) == 0) {
                bits[block >>> 6] |= mask;
                blocksCovered[slot]++;
            }
        }
        int header = headerLength[slot];
        if (header == 0 || total[slot] < 0 || blocksCovered[slot] != (total[slot] + 7) / 8) {
            return -1;
        }
        used[slot] = false;
        int start = BASE - header;
        if (header + total[slot] > 65_535) {
            return -1;
        }
        bytes.putShort(start + 2, (short) (header + total[slot]));
        bytes.putShort(start + 6, (short) (bytes.getShort(start + 6) & 0x4000));
        completed = bytes;
        return start;
    }

    private int find(int source, int destination, int key, long now) {
        for (int slot = 0; slot < SLOTS; slot++) {
            if (used[slot] && sourceAddress[slot] == source && destinationAddress[slot] == destination
                    && idProtocol[slot] == key) {
                if (now - firstSeen[slot] > TIMEOUT_NANOS) {
                    used[slot] = false; // expired: this fragment starts a new train
                    return -1;
                }
                return slot;
            }
        }
        return -1;
    }

    /** A free slot, an expired one, or the oldest. */
    private int claim(long now) {
        int oldest = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            if (!used[slot] || now - firstSeen[slot] > TIMEOUT_NANOS) {
                return slot;
            }
            if (firstSeen[slot] < firstSeen[oldest]) {
                oldest = slot;
            }
        }
        return oldest;
    }
}
