package dev.tcpstate.analysis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * An address or a CIDR block ({@code 10.0.0.7}, {@code 10.0.0.0/8}, {@code fd00::/64}) as the
 * 128-bit form connection records hold: IPv4 is IPv4-mapped, so {@code /8} is {@code /104} here.
 */
public record AddressRange(long high, long low, int prefix, String text) {
    private static final long IPV4_MAPPED = 0x0000_FFFF_0000_0000L;

    /** Parses an address literal, never a host name (no DNS lookup); IllegalArgumentException says what is wrong. */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(address);
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("(expected: a prefix length from 0 to " + bits + " after the /)");
            }
            prefix = Integer.parseInt(length);
        }
        ByteBuffer full = ByteBuffer.allocate(16);
        if (bytes.length == 4) {
            full.putLong(0).putLong(IPV4_MAPPED | (ByteBuffer.wrap(bytes).getInt() & 0xFFFF_FFFFL));
            prefix += 96;
        } else {
            full.put(bytes);
        }
        full.flip();
        long high = full.getLong();
        long low = full.getLong();
        return new AddressRange(high & mask(prefix), low & mask(prefix - 64), prefix, text);
    }

    /** Whether the address (as records hold it) is in the range. */
    public boolean contains(long addressHigh, long addressLow) {
        return (addressHigh & mask(prefix)) == high && (addressLow & mask(prefix - 64)) == low;
    }

    /** The top {@code bits} bits of a 64-bit word set (none below 0, all from 64). */
    private static long mask(int bits) {
        return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    private static byte[] literal(String address) {
        if (address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            byte[] bytes = new byte[4];
            String[] parts = address.split("\\.");
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part > 255) {
                    throw new IllegalArgumentException("(expected: an IPv4 or IPv6 address, or a CIDR block)");
                }
                bytes[i] = (byte) part;
            }
            return bytes;
        }
        // only hex digits, colons and dots: InetAddress takes it as an IPv6 literal and looks nothing up
        if (address.contains(":") && address.matches("[0-9A-Fa-f:.]+")) {
            try {
                return InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                // not a valid literal: said below
            }
        }
        throw new IllegalArgumentException("(expected: an IPv4 or IPv6 address, or a CIDR block such as 10.0.0.0/8)");
    }

    @Override
    public String toString() {
        return text;
    }
}
