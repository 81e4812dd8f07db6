package dev.tcpstate.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** 128-bit addresses held as two longs, IPv4 as IPv4-mapped; their text forms. */
public final class IpAddresses {
    private IpAddresses() {
    }

    public static boolean isIpv4(long high, long low) {
        return high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == TcpSegment.IPV4_MAPPED_PREFIX;
    }

    /** Low word of an IPv4-mapped address for {@code a.b.c.d} given as an int. */
    public static long ipv4Low(int address) {
        return TcpSegment.IPV4_MAPPED_PREFIX | (address & 0xFFFF_FFFFL);
    }

    /** Text of a 4- or 16-byte address: dotted quad, or RFC 5952 IPv6. */
    public static String format(byte[] address) {
        ByteBuffer bytes = ByteBuffer.wrap(address);
        return address.length == 4 ? format(0, ipv4Low(bytes.getInt())) : format(bytes.getLong(), bytes.getLong());
    }

    /** Recently formatted addresses: a report names the same few hosts millions of times. */
    private static final Formatted[] RECENT = new Formatted[4096];

    /** An address and its text; final fields, so a slot read by another thread is whole. */
    private record Formatted(long high, long low, String text) {
    }

    /** Dotted quad for IPv4-mapped addresses, RFC 5952 text for IPv6. */
    public static String format(long high, long low) {
        long mixed = (high ^ low * 0x9E37_79B9_7F4A_7C15L) * 0xC2B2_AE3D_27D4_EB4FL;
        int slot = (int) (mixed >>> 52);
        Formatted recent = RECENT[slot];
        if (recent != null && recent.high() == high && recent.low() == low) {
            return recent.text();
        }
        String text = formatted(high, low);
        RECENT[slot] = new Formatted(high, low, text);
        return text;
    }

    private static String formatted(long high, long low) {
        if (isIpv4(high, low)) {
            int v4 = (int) low;
            return (v4 >>> 24) + "." + ((v4 >>> 16) & 0xFF) + "." + ((v4 >>> 8) & 0xFF) + "." + (v4 & 0xFF);
        }
        try {
            byte[] bytes = ByteBuffer.allocate(16).putLong(high).putLong(low).array();
            return compress(InetAddress.getByAddress(bytes).getHostAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an address", e);
        }
    }

    /** Java prints IPv6 uncompressed ({@code fd00:0:0:0:0:0:0:1}); RFC 5952 wants {@code fd00::1}. */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
