package dev.tcpstate.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Packets per second: JMH divides an OPERATIONS counter by the measured time. */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class PacketCounter {
    public long packets;

    @Setup(Level.Iteration)
    public void reset() {
        packets = 0;
    }
}
