package dev.tcpstate.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Several interfaces watched as one ({@code watch -i eth0 -i eth1}): one engine sees the frames
 * of all, in the order they arrive, each frame carrying its interface's number. It ends when every
 * capture has ended; counters are summed.
 */
public final class LiveCaptures implements LiveSource {
    /** How long a wait on one interface lasts before the others are looked at again. */
    private static final long SLICE_MILLIS = 5;

    private final List<LiveCapture> captures;
    private final boolean[] ended;
    private int next;

    private LiveCaptures(List<LiveCapture> captures) {
        this.captures = List.copyOf(captures);
        this.ended = new boolean[captures.size()];
    }

    /** Starts a capture on each interface; if one cannot start, the ones started are closed again. */
    public static LiveSource start(List<LiveCaptureOptions> interfaces) throws IOException {
        if (interfaces.size() == 1) {
            return LiveCapture.start(interfaces.get(0));
        }
        List<LiveCapture> started = new ArrayList<>();
        try {
            for (int i = 0; i < interfaces.size(); i++) {
                started.add(LiveCapture.start(interfaces.get(i), i));
            }
        } catch (IOException | RuntimeException e) {
            for (LiveCapture capture : started) {
                capture.close();
            }
            throw e;
        }
        return new LiveCaptures(started);
    }

    @Override
    public LiveCapture.Poll poll(Frame frame, long timeout, TimeUnit unit) throws IOException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            // each interface in turn, without waiting, so that a busy one does not starve the others
            boolean open = false;
            for (int k = 0; k < captures.size(); k++) {
                int i = (next + k) % captures.size();
                if (ended[i]) {
                    continue;
                }
                LiveCapture.Poll poll = captures.get(i).poll(frame, 0, TimeUnit.MILLISECONDS);
                if (poll == LiveCapture.Poll.FRAME) {
                    next = (i + 1) % captures.size();
                    return poll;
                }
                if (poll == LiveCapture.Poll.END) {
                    ended[i] = true;
                } else {
                    open = true;
                }
            }
            if (!open) {
                return LiveCapture.Poll.END;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return LiveCapture.Poll.IDLE;
            }
            // then a short wait on one of them
            int i = next;
            while (ended[i]) {
                i = (i + 1) % captures.size();
            }
            next = (i + 1) % captures.size();
            LiveCapture.Poll poll = captures.get(i).poll(frame, Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS)),
                    TimeUnit.NANOSECONDS);
            if (poll == LiveCapture.Poll.FRAME) {
                return poll;
            }
            if (poll == LiveCapture.Poll.END) {
                ended[i] = true;
            }
        }
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        while (true) {
            LiveCapture.Poll result = poll(frame, 1, TimeUnit.SECONDS);
            if (result != LiveCapture.Poll.IDLE) {
                return result == LiveCapture.Poll.FRAME;
            }
        }
    }

    @Override
    public void stop() {
        captures.forEach(LiveCapture::stop);
    }

    @Override
    public LiveCapture.Counts counts() {
        long received = 0;
        long kernel = 0;
        long interfaceDrops = 0;
        long queue = 0;
        for (LiveCapture capture : captures) {
            LiveCapture.Counts c = capture.counts();
            received += Math.max(0, c.received());
            kernel += Math.max(0, c.droppedByKernel());
            interfaceDrops += Math.max(0, c.droppedByInterface());
            queue += c.droppedByQueue();
        }
        return new LiveCapture.Counts(received, kernel, interfaceDrops, queue);
    }

    @Override
    public Optional<String> failure() {
        return captures.stream().map(LiveCapture::failure).flatMap(Optional::stream).findFirst();
    }

    @Override
    public LiveCapture.LinkState linkState() {
        List<LiveCapture.LinkState> states = captures.stream().map(LiveCapture::linkState).toList();
        return states.contains(LiveCapture.LinkState.DOWN) ? LiveCapture.LinkState.DOWN
                : states.contains(LiveCapture.LinkState.UP) ? LiveCapture.LinkState.UP : states.get(0);
    }

    @Override
    public double backlog() {
        return captures.stream().mapToDouble(LiveCapture::backlog).max().orElse(0);
    }

    /** The frames' link type when every interface has the same one; -1 when they differ. */
    @Override
    public int linkType() {
        int type = captures.get(0).linkType();
        return captures.stream().allMatch(c -> c.linkType() == type) ? type : -1;
    }

    @Override
    public String name() {
        return captures.stream().map(LiveCapture::name).collect(Collectors.joining("+"));
    }

    @Override
    public List<CaptureWriter.Interface> interfaces() {
        return captures.stream().map(c -> new CaptureWriter.Interface(c.name(), c.linkType())).toList();
    }

    @Override
    public String format() {
        return "live";
    }

    @Override
    public List<CaptureWarning> warnings() {
        return captures.stream().flatMap(c -> c.warnings().stream()).toList();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (LiveCapture capture : captures) {
            try {
                capture.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
