package dev.tcpstate.analysis;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.TcpState;
import dev.tcpstate.state.Transition;
import java.util.List;

/**
 * One connection as RFC 793 draws them: its segments in order, each with the state of both
 * endpoints after it as the observer knows them, and what was odd about it. A is Zeek's
 * originator, B the responder.
 *
 * @param record the connection
 * @param steps its segments
 * @param after the changes after the last segment, up to the end of the capture (TIME-WAIT running out)
 * @param originatorIsn the originator's initial sequence number (relative numbers count from it)
 */
public record Ladder(ConnectionRecord record, List<Step> steps, List<Transition> after, long originatorIsn,
        long responderIsn, long captureEndNanos) {

    public Ladder {
        steps = List.copyOf(steps);
        after = List.copyOf(after);
    }

    /**
     * One segment: its number in the capture, time, direction, flags, sequence and acknowledgement
     * numbers (raw, unsigned), payload length, window, both states after it, and remarks such as
     * "retransmission".
     */
    public record Step(long frame, long timeNanos, boolean fromOriginator, int flags, long sequence,
            long acknowledgement, int length, int window, TcpState originatorState, TcpState responderState,
            List<String> remarks) {
        public Step {
            remarks = List.copyOf(remarks);
        }
    }
}
