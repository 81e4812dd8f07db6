package dev.tcpstate.flink;

/**
 * A canonical four-tuple (both directions give the same key): the key of the connection stage,
 * so that a connection whose packets sit in several files is one connection.
 */
public class TupleKey {
    public long lowerHigh;
    public long lowerLow;
    public long upperHigh;
    public long upperLow;
    public int ports;

    public TupleKey() {
    }

    static TupleKey of(CaptureEvent event) {
        TupleKey key = new TupleKey();
        key.lowerHigh = event.lowerHigh;
        key.lowerLow = event.lowerLow;
        key.upperHigh = event.upperHigh;
        key.upperLow = event.upperLow;
        key.ports = event.ports;
        return key;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TupleKey key && key.lowerHigh == lowerHigh && key.lowerLow == lowerLow
                && key.upperHigh == upperHigh && key.upperLow == upperLow && key.ports == ports;
    }

    @Override
    public int hashCode() {
        // Flink places keys by this hash: spread every field over it
        long h = lowerHigh * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ lowerLow) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ upperHigh) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ upperLow) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ ports) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
