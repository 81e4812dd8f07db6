package dev.tcpstate.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several captures read as one, frames in timestamp order (rotated files, captures of several
 * interfaces): a connection split across files is one connection. Each source keeps its own
 * order; between sources the earliest frame goes first, the earlier source on a tie. No copying:
 * the frame handed out points into its source's buffer, and that source only reads on at the
 * next call.
 */
public final class MergedSource implements PacketSource {
    private final List<PacketSource> sources;
    private final Frame[] heads;
    private final boolean[] has;
    private final long[] frames;
    private int delivered = -1;
    /** Where captures turned out corrupt, in the order found; each one's frames up to there were delivered. */
    private final List<CaptureFormatException> failures;

    private MergedSource(List<PacketSource> sources, List<CaptureFormatException> failures) throws IOException {
        this.sources = sources;
        this.failures = failures;
        this.heads = new Frame[sources.size()];
        this.has = new boolean[sources.size()];
        this.frames = new long[sources.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = new Frame();
            has[i] = advance(i);
        }
    }

    /**
     * The next frame of source {@code index}. Where a capture is corrupt it ends there, and the
     * others go on: everything before the corruption, and every other capture, is still analysed.
     */
    private boolean advance(int index) throws IOException {
        try {
            return sources.get(index).next(heads[index]);
        } catch (CaptureFormatException e) {
            failures.add(e);
            return false;
        }
    }

    /**
     * Opens every capture ({@link CaptureFiles#open}). One that is not a capture at all (a bad
     * header) is left out and counted among the {@link #failures()} when others open; when none
     * opens, or on any other failure, its error is thrown and the ones already open are closed.
     */
    public static MergedSource open(List<String> captures) throws IOException {
        List<PacketSource> opened = new ArrayList<>();
        List<CaptureFormatException> failures = new ArrayList<>();
        try {
            for (String capture : captures) {
                try {
                    opened.add(CaptureFiles.open(capture, captures.size()));
                } catch (CaptureFormatException e) {
                    failures.add(e);
                }
            }
            if (opened.isEmpty() && !failures.isEmpty()) {
                throw failures.get(0);
            }
            return new MergedSource(opened, failures);
        } catch (IOException | RuntimeException e) {
            for (PacketSource source : opened) {
                try {
                    source.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        if (delivered >= 0) {
            has[delivered] = advance(delivered);
        }
        int best = -1;
        for (int i = 0; i < heads.length; i++) {
            if (has[i] && (best < 0 || heads[i].timestampNanos() < heads[best].timestampNanos())) {
                best = i;
            }
        }
        delivered = best;
        if (best < 0) {
            return false;
        }
        Frame head = heads[best];
        frame.set(head.buffer(), head.offset(), head.capturedLength(), head.originalLength(), head.timestampNanos(),
                head.linkType(), head.interfaceId(), head.sourceOffset(), head.number());
        frames[best]++;
        return true;
    }

    /** The captures found corrupt so far (each one's frames before the corruption were delivered). */
    public List<CaptureFormatException> failures() {
        return List.copyOf(failures);
    }

    /** The sources, in the order given. */
    public List<PacketSource> sources() {
        return List.copyOf(sources);
    }

    /** Frames handed out from source {@code index}. */
    public long frames(int index) {
        return frames[index];
    }

    /** Which source the last frame came from. */
    public int lastSource() {
        return delivered;
    }

    @Override
    public String name() {
        return String.join(", ", sources.stream().map(PacketSource::name).toList());
    }

    @Override
    public String format() {
        return "merged";
    }

    @Override
    public List<CaptureWarning> warnings() {
        List<CaptureWarning> all = new ArrayList<>();
        sources.forEach(source -> all.addAll(source.warnings()));
        return all;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (PacketSource source : sources) {
            try {
                source.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
