package dev.tcpstate.report;

import dev.tcpstate.decode.IpAddresses;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The Community ID (version 1) of a TCP connection, the flow hash Zeek, Suricata and others share
 * (github.com/corelight/community-id-spec): {@code 1:} and the base64 SHA-1 of the seed (2 bytes),
 * both addresses, the protocol, a zero pad byte and both ports, the smaller endpoint (address,
 * then port) first, so both directions of a connection hash alike.
 */
public final class CommunityId {
    private static final int TCP = 6;
    /** SHA-1 instances are not thread-safe and not free to look up; one per thread. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    });

    private final int seed;

    /** @param seed 0 to 65535; 0 is the spec's default, which tools agree on unless told otherwise */
    public CommunityId(int seed) {
        if (seed < 0 || seed > 0xFFFF) {
            throw new IllegalArgumentException("--community-id-seed " + seed + " (expected: 0 to 65535)");
        }
        this.seed = seed;
    }

    /** The ID of the TCP connection between two endpoints (128-bit addresses, IPv4 as IPv4-mapped). */
    public String tcp(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
        boolean v4 = IpAddresses.isIpv4(aHigh, aLow);
        int order = Long.compareUnsigned(aHigh, bHigh);
        if (order == 0) {
            order = Long.compareUnsigned(aLow, bLow);
        }
        boolean swap = order > 0 || order == 0 && aPort > bPort;
        ByteBuffer input = ByteBuffer.allocate(2 + (v4 ? 8 : 32) + 2 + 4);
        input.putShort((short) seed);
        if (swap) {
            address(input, v4, bHigh, bLow);
            address(input, v4, aHigh, aLow);
        } else {
            address(input, v4, aHigh, aLow);
            address(input, v4, bHigh, bLow);
        }
        input.put((byte) TCP).put((byte) 0);
        input.putShort((short) (swap ? bPort : aPort)).putShort((short) (swap ? aPort : bPort));
        return "1:" + Base64.getEncoder().encodeToString(SHA1.get().digest(input.array()));
    }

    /** Big-endian bytes, as on the wire; unsigned comparison of the 128-bit form orders them the same way. */
    private static void address(ByteBuffer input, boolean v4, long high, long low) {
        if (v4) {
            input.putInt((int) low);
        } else {
            input.putLong(high).putLong(low);
        }
    }
}
