package dev.tcpstate.decode;

/**
 * The uid of a tunnel "connection", as Zeek's conn.log {@code tunnel_parents} names it, derived
 * from the tunnel's outer identity so that no table is needed: the same outer endpoints give the
 * same uid in both directions and in every run. Zeek names a UDP tunnel (VXLAN, Geneve, GTP-U,
 * Teredo, AYIYA) by the uid of its UDP connection, so the outer UDP four-tuple is the identity;
 * it names an IP tunnel (IP-in-IP, 6in4, 4in6, GRE, GRE over UDP) by its outer address pair alone
 * (one entry per pair in its IP tunnel table, whatever the tunnel type), and so does this.
 *
 * <p>The number is a 64-bit mix, never 0 (0 means "no tunnel"); {@link #format} writes it like a
 * Zeek uid: {@code C} and 11 base-62 digits, shorter than tcpstate's own record uids ({@code C} and
 * 17 base-62 digits, see {@code flow.Uids}), so the two never meet.
 */
public final class TunnelUid {
    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int WIDTH = 11; // 62^11 > 2^64
    private static final long UDP_SEED = 0x7564_705f_7475_6e6eL;
    private static final long IP_SEED = 0x6970_5f74_756e_6e65L;

    private TunnelUid() {
    }

    /** The uid of the UDP "connection" between two endpoints (128-bit addresses as two longs). */
    public static long udp(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
        if (compare(aHigh, aLow, aPort, bHigh, bLow, bPort) > 0) {
            return finish(mix(mix(mix(mix(mix(mix(UDP_SEED, bHigh), bLow), bPort), aHigh), aLow), aPort));
        }
        return finish(mix(mix(mix(mix(mix(mix(UDP_SEED, aHigh), aLow), aPort), bHigh), bLow), bPort));
    }

    /** The uid of the IP tunnel between two addresses. */
    public static long ipPair(long aHigh, long aLow, long bHigh, long bLow) {
        if (compare(aHigh, aLow, 0, bHigh, bLow, 0) > 0) {
            return finish(mix(mix(mix(mix(IP_SEED, bHigh), bLow), aHigh), aLow));
        }
        return finish(mix(mix(mix(mix(IP_SEED, aHigh), aLow), bHigh), bLow));
    }

    /** {@code C} and the uid in 11 base-62 digits. */
    public static String format(long uid) {
        char[] text = new char[WIDTH + 1];
        text[0] = 'C';
        long rest = uid;
        for (int i = WIDTH; i >= 1; i--) {
            int digit = (int) Long.remainderUnsigned(rest, 62);
            rest = Long.divideUnsigned(rest, 62);
            text[i] = DIGITS.charAt(digit);
        }
        return new String(text);
    }

    private static int compare(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
        int order = Long.compareUnsigned(aHigh, bHigh);
        if (order == 0) {
            order = Long.compareUnsigned(aLow, bLow);
        }
        return order != 0 ? order : Integer.compare(aPort, bPort);
    }

    private static long mix(long hash, long value) {
        long h = (hash ^ value) * 0x9E37_79B9_7F4A_7C15L;
        return h ^ (h >>> 29);
    }

    private static long finish(long hash) {
        long h = hash;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
