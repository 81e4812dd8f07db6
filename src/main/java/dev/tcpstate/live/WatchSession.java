package dev.tcpstate.live;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.LiveCapture;
import dev.tcpstate.capture.PcapWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The analysis thread of {@code tcpstate watch}: takes frames from the capture thread's queue,
 * feeds the {@link LiveAnalyzer} (which owns all state), writes them to {@code --write}'s file,
 * and once a second publishes a snapshot. Packet time drives the engine; when traffic stops, the
 * wall clock moves it on so idle timers still end. Stops at the capture's end, after
 * {@code duration}, or on {@link #stop()} (Ctrl-C, the dashboard's q), draining what was captured.
 */
public final class WatchSession {
    private static final long SNAPSHOT_INTERVAL_NANOS = 1_000_000_000L;

    private final LiveCapture capture;
    private final LiveAnalyzer analyzer;
    private final Optional<PcapWriter> writer;
    private final Optional<Duration> duration;
    private final Consumer<LiveSnapshot> snapshots;
    private final java.util.function.Supplier<String> selected;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;

    public WatchSession(LiveCapture capture, LiveAnalyzer analyzer, Optional<PcapWriter> writer,
            Optional<Duration> duration, Consumer<LiveSnapshot> snapshots, java.util.function.Supplier<String> selected) {
        this.selected = selected;
        this.capture = capture;
        this.analyzer = analyzer;
        this.writer = writer;
        this.duration = duration;
        this.snapshots = snapshots;
    }

    /** Runs on the calling thread until the capture ends; returns the final report. */
    public Analysis run(int timelineBuckets) throws IOException {
        try {
            Frame frame = new Frame();
            long started = System.nanoTime();
            long deadline = duration.map(d -> started + d.toNanos()).orElse(Long.MAX_VALUE);
            long nextSnapshot = started + SNAPSHOT_INTERVAL_NANOS;
            long wallAtLastFrame = started;
            boolean stopping = false;
            while (true) {
                LiveCapture.Poll poll = capture.poll(frame, 100, TimeUnit.MILLISECONDS);
                long wall = System.nanoTime();
                if (poll == LiveCapture.Poll.END) {
                    break;
                }
                if (poll == LiveCapture.Poll.FRAME) {
                    analyzer.frame(frame);
                    if (writer.isPresent()) {
                        writer.get().write(frame);
                    }
                    wallAtLastFrame = wall;
                } else {
                    analyzer.idle(packetNow(wall, wallAtLastFrame));
                }
                if (!stopping && (stopRequested || wall >= deadline)) {
                    stopping = true;
                    capture.stop(); // the loop drains the queue, then sees END
                }
                if (wall >= nextSnapshot) {
                    snapshots.accept(analyzer.snapshot(packetNow(wall, wallAtLastFrame), counts(), selected.get()));
                    nextSnapshot = wall + SNAPSHOT_INTERVAL_NANOS;
                }
            }
            if (writer.isPresent()) {
                writer.get().close();
            }
            return analyzer.finish(timelineBuckets);
        } finally {
            finished.countDown();
        }
    }

    /** Packet time now: the last frame's, moved on by the wall clock since it arrived. */
    private long packetNow(long wall, long wallAtLastFrame) {
        long last = analyzer.lastPacketNanos();
        if (last == Long.MIN_VALUE) {
            return java.time.Instant.now().getEpochSecond() * 1_000_000_000L + java.time.Instant.now().getNano();
        }
        return last + (wall - wallAtLastFrame);
    }

    private LiveSnapshot.CaptureCounts counts() {
        LiveCapture.Counts c = capture.counts();
        return new LiveSnapshot.CaptureCounts(c.received(), c.droppedByKernel(), c.droppedByInterface(),
                c.droppedByQueue());
    }

    /** Asks the session to end (from another thread); it drains and finishes. */
    public void stop() {
        stopRequested = true;
    }

    /** Waits until {@link #run} has returned (for a shutdown hook), at most {@code timeout}. */
    public boolean awaitFinish(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
