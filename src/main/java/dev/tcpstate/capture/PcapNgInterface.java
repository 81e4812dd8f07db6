package dev.tcpstate.capture;

/**
 * One pcapng Interface Description Block: its link type, snaplen and how its timestamps count.
 * {@code unitsPerSecond} comes from {@code if_tsresol} (10^n or 2^n; 10^6 when absent) and
 * {@code offsetSeconds} from {@code if_tsoffset}.
 */
public record PcapNgInterface(int linkType, long snaplen, int resolutionExponent, boolean binaryResolution,
        long offsetSeconds, String name) {

    static final PcapNgInterface DEFAULTS = new PcapNgInterface(0, 0, 6, false, 0, "");

    /** Converts a timestamp in this interface's units to nanoseconds since the epoch. */
    long toNanos(long units) {
        long nanos;
        if (binaryResolution) {
            long whole = units >>> resolutionExponent;
            long fraction = units & ((1L << resolutionExponent) - 1);
            // fraction / 2^n seconds in nanoseconds: scale the fraction to 64 bits, keep the high
            // word of an unsigned multiply (multiplyHigh is signed, hence the correction).
            long scaled = resolutionExponent == 0 ? 0 : fraction << (64 - resolutionExponent);
            long high = Math.multiplyHigh(scaled, 1_000_000_000L) + (scaled < 0 ? 1_000_000_000L : 0);
            nanos = whole * 1_000_000_000L + high;
        } else if (resolutionExponent <= 9) {
            nanos = units * POWERS_OF_TEN[9 - resolutionExponent];
        } else {
            nanos = units / POWERS_OF_TEN[resolutionExponent - 9];
        }
        return nanos + offsetSeconds * 1_000_000_000L;
    }

    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    /** Largest exponent {@link #toNanos} supports: 10^18 decimal, 2^63 binary. */
    static boolean supportedResolution(int exponent, boolean binary) {
        return binary ? exponent >= 0 && exponent <= 63 : exponent >= 0 && exponent <= 18;
    }
}
