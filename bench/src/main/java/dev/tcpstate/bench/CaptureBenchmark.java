package dev.tcpstate.bench;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What every benchmark over a capture file shares: the file ({@code -p capture=...}) and one
 * frame, segment and decoder per thread, reused for every packet as tcpstate does.
 */
@State(Scope.Thread)
public abstract class CaptureBenchmark {
    @Param({"/tmp/tcpstate-bench.pcap"})
    public String capture;

    protected final Frame frame = new Frame();
    protected final TcpSegment segment = new TcpSegment();
    protected final FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
}
