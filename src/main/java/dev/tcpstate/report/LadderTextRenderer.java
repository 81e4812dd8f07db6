package dev.tcpstate.report;

import dev.tcpstate.analysis.Ladder;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Transition;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A connection drawn as RFC 793 draws its examples (figures 7 to 14): time down the page, A on
 * the left, B on the right, each segment as {@code --> <SEQ=..><ACK=..><CTL=..> -->} between the
 * states of both sides after it, and a line of remarks under segments that were odd or changed a
 * state.
 */
public final class LadderTextRenderer {
    private static final int STATE = 12;

    private LadderTextRenderer() {
    }

    public static void render(Ladder ladder, boolean absolute, int width, TimeFormat times, PrintWriter out) {
        ConnectionRecord record = ladder.record();
        out.println("connection " + record.uid() + ": A " + ConnectionRecord.endpoint(record.originatorAddress(),
                record.originatorPort()) + " > B " + record.service());
        out.println("zeek " + record.connState() + " " + (record.history().isEmpty() ? "-" : record.history())
                + ", outcome " + record.outcome().label() + ", first packet " + times.dateTime(record.tsNanos()));
        record.continuesUid().ifPresent(uid -> out.println("continues " + uid
                + ": the same sockets, in the record Zeek ended before this one"));
        record.continuedInUid().ifPresent(uid -> out.println("continued in " + uid
                + ": Zeek ended this record, the same sockets went on there"));
        out.println(absolute ? "sequence numbers as sent"
                : "sequence numbers relative to each side's ISN (A " + isn(ladder, true) + ", B " + isn(ladder, false)
                        + "); --absolute shows them as sent");
        out.println();
        int segmentWidth = Math.max(30, width - 5 - 11 - 2 * (STATE + 5));
        out.println(String.format(Locale.ROOT, "%3s  %-10s %-" + STATE + "s     %-" + segmentWidth + "s     %s", "#",
                "TIME", "TCP A", "", "TCP B").stripTrailing());
        long start = record.tsNanos();
        int n = 0;
        for (Ladder.Step step : ladder.steps()) {
            n++;
            String arrow = step.fromOriginator() ? "-->" : "<--";
            String segment = segment(step, ladder, absolute);
            out.println(String.format(Locale.ROOT, "%3d  %-10s %-" + STATE + "s %s %-" + segmentWidth + "s %s %s", n,
                    offset(step.timeNanos() - start), step.originatorState().rfcName(), arrow, segment, arrow,
                    step.responderState().rfcName()).stripTrailing());
            for (String remark : step.remarks()) {
                out.println(" ".repeat(5 + 11 + STATE + 5) + "  " + remark);
            }
        }
        for (Transition transition : ladder.after()) {
            out.println(String.format(Locale.ROOT, "     %-10s %s %s -> %s (%s)", offset(transition.timestampNanos() - start),
                    sideName(ladder, transition), transition.from().rfcName(), transition.to().rfcName(),
                    transition.cause()));
        }
        out.println(String.format(Locale.ROOT, "end  %-10s %-" + STATE + "s     %-" + segmentWidth + "s     %s",
                offset(ladder.captureEndNanos() - start), record.originatorState().rfcName(),
                "(end of capture)", record.responderState().rfcName()).stripTrailing());
        out.flush();
    }

    /** A side's ISN, or what stands in for it when the side sent no SYN. */
    private static String isn(Ladder ladder, boolean originator) {
        boolean sentSyn = ladder.steps().stream().anyMatch(step -> step.fromOriginator() == originator
                && (step.flags() & TcpFlags.SYN) != 0);
        long isn = originator ? ladder.originatorIsn() : ladder.responderIsn();
        return sentSyn ? Long.toString(isn) : "no SYN: first sequence number - 1 = " + isn;
    }

    private static String sideName(Ladder ladder, Transition transition) {
        // the machine's originator is Zeek's unless Zeek swapped the roles in the record
        return transition.side() == dev.tcpstate.state.Side.ORIGINATOR ? "A" : "B";
    }

    /** {@code <SEQ=1><ACK=1><LEN=100><CTL=PSH,ACK>}, RFC 793's notation. */
    public static String segment(Ladder.Step step, Ladder ladder, boolean absolute) {
        long ownIsn = step.fromOriginator() ? ladder.originatorIsn() : ladder.responderIsn();
        long peerIsn = step.fromOriginator() ? ladder.responderIsn() : ladder.originatorIsn();
        StringBuilder text = new StringBuilder();
        text.append("<SEQ=").append(absolute ? step.sequence() : (step.sequence() - ownIsn) & 0xFFFF_FFFFL).append('>');
        if ((step.flags() & TcpFlags.ACK) != 0) {
            text.append("<ACK=").append(absolute ? step.acknowledgement()
                    : (step.acknowledgement() - peerIsn) & 0xFFFF_FFFFL).append('>');
        }
        if (step.length() > 0) {
            text.append("<LEN=").append(step.length()).append('>');
        }
        text.append("<CTL=").append(TcpFlags.format(step.flags()).replace('|', ',')).append('>');
        return text.toString();
    }

    static String offset(long nanos) {
        return String.format(Locale.ROOT, "+%.6f", nanos / 1e9);
    }
}
