package dev.tcpstate.decode;

/**
 * The TCP header's flag bits as {@link TcpSegment#flags()} holds them: the eight flags of byte
 * 13, plus AE (formerly NS, RFC 3540/Accurate ECN) from the low bit of byte 12 as bit 8.
 */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;
    public static final int AE = 0x100;

    private static final int[] BITS = {SYN, FIN, RST, PSH, ACK, URG, ECE, CWR, AE};
    private static final String[] NAMES = {"SYN", "FIN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};

    private TcpFlags() {
    }

    /** Flags as text, e.g. {@code "SYN|ACK"}; {@code "none"} for none. Not for the hot path. */
    public static String format(int flags) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) != 0) {
                if (text.length() > 0) {
                    text.append('|');
                }
                text.append(NAMES[i]);
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}
