package dev.tcpstate.state;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 793 section 3.3): the only place where TCP
 * sequence and acknowledgement numbers are compared. Two numbers compare by their signed
 * distance, which is right as long as they are less than 2^31 apart.
 */
public final class Seq {
    private Seq() {
    }

    /** {@code a - b} as a signed distance. */
    public static int distance(int a, int b) {
        return a - b;
    }

    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    public static boolean leq(int a, int b) {
        return a - b <= 0;
    }

    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    public static boolean geq(int a, int b) {
        return a - b >= 0;
    }

    /** Whether {@code x} lies in {@code [low, low + length)}; an empty window holds nothing. */
    public static boolean inWindow(int x, int low, long length) {
        long offset = Integer.toUnsignedLong(x - low);
        return offset < length;
    }

    /** The later of two sequence numbers. */
    public static int max(int a, int b) {
        return gt(a, b) ? a : b;
    }
}
