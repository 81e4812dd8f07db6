package dev.tcpstate.capture;

import java.sql.Timestamp;

/** pcap4j hands timestamps out as {@link Timestamp}; tcpstate counts nanoseconds since the epoch. */
final class Pcap4jTimestamps {
    private Pcap4jTimestamps() {
    }

    static long toNanos(Timestamp timestamp) {
        long seconds = Math.floorDiv(timestamp.getTime(), 1000L);
        return seconds * 1_000_000_000L + timestamp.getNanos();
    }
}
