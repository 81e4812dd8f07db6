package dev.tcpstate.analysis;

import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.Connection;
import dev.tcpstate.flow.ConnectionTracker;
import dev.tcpstate.state.ConnectionMachine;
import dev.tcpstate.state.Side;
import dev.tcpstate.state.TcpState;
import dev.tcpstate.state.Transition;
import java.util.ArrayList;
import java.util.List;

/** Collects a {@link Ladder}'s steps from the tracker's tap on one record, and what was odd in each. */
final class LadderBuilder implements ConnectionTracker.PacketTap {
    private final List<Ladder.Step> steps = new ArrayList<>();
    private Connection record;
    /**
     * The machine of the tapped record's endpoints and its originator's side in it, as of the
     * record's last packet: a later record may take the machine over (its sockets went on).
     */
    private ConnectionMachine machine;
    private Side originatorSide;
    private int retransmits;
    private int synRetransmits;
    private int dataAfterReset;
    private int challengedResets;
    private int droppedResets;
    private int keepaliveProbes;
    private int unacceptableAcks;
    private int resetsInSynSent;
    private int duplicateSyns;

    @Override
    public void packet(Connection tapped, TcpSegment segment, boolean checksumBad) {
        record = tapped;
        machine = tapped.machine();
        originatorSide = tapped.machineSide(Side.ORIGINATOR);
        boolean fromOriginator = tapped.fromOriginator(segment);
        Side sender = tapped.machineSide(fromOriginator ? Side.ORIGINATOR : Side.RESPONDER);
        List<String> remarks = new ArrayList<>();
        if (checksumBad) {
            remarks.add("bad checksum: ignored");
        }
        int nowRetransmits = machine.retransmits(sender) + machine.retransmits(sender.peer());
        int nowSyn = machine.synRetransmits(sender) + machine.synRetransmits(sender.peer());
        int nowAfterReset = machine.dataAfterPeerReset(sender) + machine.dataAfterPeerReset(sender.peer());
        if (nowSyn > synRetransmits) {
            remarks.add((segment.flags() & TcpFlags.ACK) != 0 ? "SYN-ACK sent again" : "SYN sent again");
        } else if (nowRetransmits > retransmits) {
            remarks.add("retransmission");
        }
        if (nowAfterReset > dataAfterReset) {
            remarks.add("data after the peer's reset");
        }
        if (machine.challengedResets() > challengedResets) {
            remarks.add("RST not believed: in the window but not at RCV.NXT, a challenge ACK is due (RFC 5961)");
        } else if (machine.droppedResets() > droppedResets) {
            remarks.add("RST not believed: outside the window, dropped (RFC 5961)");
        }
        challengedResets = machine.challengedResets();
        droppedResets = machine.droppedResets();
        int nowKeepalives = machine.keepaliveProbes(sender) + machine.keepaliveProbes(sender.peer());
        if (nowKeepalives > keepaliveProbes) {
            remarks.add("keepalive probe");
        }
        keepaliveProbes = nowKeepalives;
        if (machine.unacceptableAcks() > unacceptableAcks) {
            remarks.add("does not acknowledge the SYN: its sender holds an older connection here (a challenge ACK, RFC 5961 4)");
        }
        if (machine.resetsInSynSent() > resetsInSynSent) {
            remarks.add("RST answering that ACK; its sender stays in SYN-SENT (RFC 793 figure 10)");
        }
        if (machine.duplicateSyns() > duplicateSyns) {
            remarks.add("a copy of the SYN inside the connection (an old duplicate): nothing changes, a challenge ACK is due");
        }
        duplicateSyns = machine.duplicateSyns();
        unacceptableAcks = machine.unacceptableAcks();
        resetsInSynSent = machine.resetsInSynSent();
        if (machine.gaveUp() && (segment.flags() & TcpFlags.RST) != 0 && machine.resetBy().isEmpty()) {
            remarks.add("gave up on a silent peer (its retransmissions or probes went unanswered)");
        }
        retransmits = nowRetransmits;
        synRetransmits = nowSyn;
        dataAfterReset = nowAfterReset;
        if ((segment.flags() & TcpFlags.RST) == 0 && segment.window() == 0) {
            remarks.add("zero window");
        }
        for (Transition transition : machine.transitions()) {
            if (transition.frameNumber() == segment.frameNumber() && transition.timestampNanos() == segment.timestampNanos()) {
                String who = tapped.machineSide(Side.ORIGINATOR) == transition.side() ? "A" : "B";
                remarks.add(who + ": " + transition.cause());
            }
        }
        steps.add(new Ladder.Step(segment.frameNumber(), segment.timestampNanos(), fromOriginator, segment.flags(),
                Integer.toUnsignedLong(segment.sequence()), Integer.toUnsignedLong(segment.acknowledgement()),
                segment.payloadLength(), segment.window(), machine.state(tapped.machineSide(Side.ORIGINATOR)),
                machine.state(tapped.machineSide(Side.RESPONDER)), remarks));
    }

    Ladder build(ConnectionRecord finished, long captureEnd) {
        List<Transition> after = new ArrayList<>();
        long isnA = 0;
        long isnB = 0;
        if (record != null) {
            long last = steps.isEmpty() ? Long.MIN_VALUE : steps.get(steps.size() - 1).timeNanos();
            if (!finished.continuedLater()) {
                // (a continued record's machine went on with the next record's packets)
                machine.finish(captureEnd); // TIME-WAIT that runs out before the end of the capture
                for (Transition transition : machine.transitions()) {
                    if (transition.timestampNanos() > last) {
                        after.add(transition);
                    }
                }
            }
            isnA = isn(Side.ORIGINATOR, true);
            isnB = isn(Side.RESPONDER, false);
        }
        return new Ladder(finished, steps, after, isnA, isnB, captureEnd);
    }

    /** A side's ISN, or (no SYN seen) the first sequence number it sent. */
    private long isn(Side side, boolean originator) {
        var isn = machine.isn(side == Side.ORIGINATOR ? originatorSide : originatorSide.peer());
        if (isn.isPresent()) {
            return Integer.toUnsignedLong(isn.getAsInt());
        }
        return steps.stream().filter(step -> step.fromOriginator() == originator).findFirst()
                .map(step -> (step.sequence() - 1) & 0xFFFF_FFFFL).orElse(0L);
    }

}
