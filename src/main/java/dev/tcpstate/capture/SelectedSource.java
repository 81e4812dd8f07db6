package dev.tcpstate.capture;

import java.io.IOException;
import java.util.List;

/**
 * A source that passes on only the frames a {@link FrameSelection} keeps: in the time range, past
 * the BPF filter (compiled by libpcap for each link type met, run in Java), and no more than its
 * count. The frames it drops are not analysed at all, as with {@code tcpdump -r FILE FILTER}.
 */
public final class SelectedSource implements PacketSource {
    private final PacketSource source;
    private final FrameSelection selection;
    /** The filter compiled for the link type met last (a capture rarely has more than one). */
    private BpfProgram program;
    private int programLinkType = -1;
    private long kept;

    private SelectedSource(PacketSource source, FrameSelection selection) {
        this.source = source;
        this.selection = selection;
    }

    /** {@code source} itself when the selection keeps everything. */
    public static PacketSource of(PacketSource source, FrameSelection selection) {
        return selection.all() ? source : new SelectedSource(source, selection);
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        while (kept < selection.count() && source.next(frame)) {
            long time = frame.timestampNanos();
            if (time < selection.sinceNanos() || time >= selection.untilNanos()) {
                continue;
            }
            if (selection.filter() != null && !program(frame.linkType()).matches(frame)) {
                continue;
            }
            kept++;
            return true;
        }
        return false;
    }

    private BpfProgram program(int linkType) throws CaptureUnavailableException {
        if (linkType != programLinkType) {
            program = BpfCompiler.compile(selection.filter(), linkType);
            programLinkType = linkType;
        }
        return program;
    }

    /** Frames passed on so far. */
    public long kept() {
        return kept;
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public String format() {
        return source.format();
    }

    @Override
    public String details() {
        return source.details();
    }

    @Override
    public List<CaptureWarning> warnings() {
        return source.warnings();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
