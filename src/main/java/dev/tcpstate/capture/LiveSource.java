package dev.tcpstate.capture;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What {@code watch} reads frames from: one interface's {@link LiveCapture}, or several merged ({@link LiveCaptures}). */
public interface LiveSource extends PacketSource {
    /** Waits up to {@code timeout} for a frame: FRAME (filled in), IDLE (none yet) or END. */
    LiveCapture.Poll poll(Frame frame, long timeout, TimeUnit unit) throws IOException;

    /** Asks the capture to end; {@link #poll} then drains what was captured and says END. */
    void stop();

    /** Frames libpcap received, and dropped in the kernel, at the interface and in tcpstate's queue. */
    LiveCapture.Counts counts();

    /** Why the capture ended on its own, as one line; empty while it runs and when it was stopped. */
    Optional<String> failure();

    /** Whether the interface has its link (for several: DOWN when one of them is down). */
    LiveCapture.LinkState linkState();

    /**
     * How full the hand-off queue is, 0 to 1: the analysis falling behind the link. The session
     * then puts off its once-a-second picture, which costs as much as many frames.
     */
    double backlog();

    /** The link type of the frames (LINKTYPE_ value), or -1 when the interfaces differ. */
    int linkType();

    /** The interfaces, numbered as the frames' {@link Frame#interfaceId()}: what a written file describes. */
    java.util.List<CaptureWriter.Interface> interfaces();
}
