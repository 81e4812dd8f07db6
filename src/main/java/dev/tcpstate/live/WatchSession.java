package dev.tcpstate.live;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.LiveCapture;
import dev.tcpstate.capture.CaptureWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The analysis thread of {@code tcpstate watch}: takes frames from the capture thread's queue,
 * feeds the {@link LiveAnalyzer} (which owns all state), writes them to {@code --write}'s file,
 * and about once a second freezes what a snapshot needs, which the picture thread then draws and
 * publishes (the frames never wait for a picture). Packet time drives the engine; when traffic stops, the
 * wall clock moves it on so idle timers still end. Stops at the capture's end (including an
 * interface that disappeared), after {@code duration}, or on {@link #stop()} (Ctrl-C, the
 * dashboard's q), draining what was captured. It alone touches the writer, so a stop from another
 * thread never meets a half-written record; the file is flushed whenever traffic pauses and closed
 * before the report is built.
 *
 * <p>An interface that goes down does not end the session: libpcap stays silent and captures
 * again once it is back up, so the session says so once on {@code notices} and keeps waiting.
 */
public final class WatchSession {
    private static final long SNAPSHOT_INTERVAL_NANOS = 1_000_000_000L;
    private static final long MAX_SNAPSHOT_DELAY_NANOS = 5_000_000_000L;
    /** The time between pictures is at least this many times what the last one took. */
    private static final long PICTURE_SHARE = 10;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory
            .getThreadMXBean();

    private final dev.tcpstate.capture.LiveSource capture;
    private final LiveAnalyzer analyzer;
    private final Optional<CaptureWriter> writer;
    private final Optional<Duration> duration;
    private final Consumer<LiveSnapshot> snapshots;
    private final java.util.function.Supplier<String> selected;
    private final Consumer<String> notices;
    private final dev.tcpstate.report.TimeFormat times;
    private volatile boolean stopRequested;
    private LiveCapture.LinkState linkState = LiveCapture.LinkState.UP;
    /** What a picture has taken lately, in nanoseconds (a moving average, kept by the picture thread). */
    private volatile long pictureCost;
    /** Packet time when the capture was first seen to drop frames; MIN_VALUE while it has not. */
    private long droppedSince = Long.MIN_VALUE;
    /**
     * Draws the pictures: the detectors over the window take long on a busy link, and the frames
     * must not wait for them (the hand-off queue would overflow meanwhile). One at a time.
     */
    private final java.util.concurrent.ExecutorService painter = java.util.concurrent.Executors.newSingleThreadExecutor(
            task -> {
                Thread thread = new Thread(task, "tcpstate-picture");
                thread.setDaemon(true);
                return thread;
            });
    /** The picture being drawn, or the last one. */
    private java.util.concurrent.Future<?> picture = java.util.concurrent.CompletableFuture.completedFuture(null);

    /**
     * @param notices one-line messages for the person watching (stderr): the interface went down
     *     or came back, at a time of day in {@code times}' zone
     */
    public WatchSession(dev.tcpstate.capture.LiveSource capture, LiveAnalyzer analyzer, Optional<CaptureWriter> writer,
            Optional<Duration> duration, Consumer<LiveSnapshot> snapshots, java.util.function.Supplier<String> selected,
            Consumer<String> notices, dev.tcpstate.report.TimeFormat times) {
        this.times = times;
        this.selected = selected;
        this.notices = notices;
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
                    if (writer.isPresent()) {
                        writer.get().flush(); // a pause in traffic: what was seen reaches the file
                    }
                }
                if (!stopping && (stopRequested || wall >= deadline)) {
                    stopping = true;
                    capture.stop(); // the loop drains the queue, then sees END
                }
                // the picture waits while the queue is over a quarter full (the analysis drains it
                // first: freezing the open connections costs as much as many frames), but never
                // more than 5 s; and while the last one is still being drawn
                boolean behind = capture.backlog() > 0.25 && wall < nextSnapshot + MAX_SNAPSHOT_DELAY_NANOS;
                if (wall >= nextSnapshot && !behind && drawn()) {
                    watchLink();
                    LiveAnalyzer.Sitting sitting = analyzer.sitting(packetNow(wall, wallAtLastFrame), counts(),
                            selected.get());
                    long frozen = System.nanoTime() - wall;
                    picture = painter.submit(() -> draw(sitting, frozen));
                    // pictures go over the whole window: when they take long (a busy link, a big
                    // window), the next waits longer, so that they take at most a tenth of a core
                    // (smoothed: the first pictures also pay the JIT)
                    nextSnapshot = wall + Math.max(SNAPSHOT_INTERVAL_NANOS, Math.min(MAX_SNAPSHOT_DELAY_NANOS,
                            PICTURE_SHARE * pictureCost));
                }
            }
            finishPicture();
            if (writer.isPresent()) {
                writer.get().close();
            }
            analyzer.sourceFinished(capture); // the report names the interface, and why it stopped
            return analyzer.finish(timelineBuckets, counts());
        } finally {
            painter.shutdownNow();
            if (writer.isPresent()) {
                writer.get().close(); // after a failure too: the records written so far stay readable
            }
        }
    }

    /**
     * Draws a picture and keeps its cost: the CPU time it took (not the wall time, which on a busy
     * machine counts the waits for a core too), plus the time the frames waited for the sitting.
     */
    private void draw(LiveAnalyzer.Sitting sitting, long frozenNanos) {
        boolean cpu = THREADS.isCurrentThreadCpuTimeSupported();
        long started = cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        snapshots.accept(analyzer.picture(sitting));
        long spent = (cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime()) - started;
        pictureCost = (pictureCost * 7 + (frozenNanos + spent) * 3) / 10;
    }

    /** Whether the last picture is done; a picture that failed fails the session. */
    private boolean drawn() throws IOException {
        if (!picture.isDone()) {
            return false;
        }
        try {
            picture.get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while drawing the live picture");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The last picture's findings reach the listener before the report does. */
    private void finishPicture() throws IOException {
        painter.shutdown();
        try {
            if (!painter.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IOException("the live picture did not finish within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while drawing the live picture");
        }
        drawn();
    }

    /**
     * Says once when the interface goes down and once when it is back. A vanished interface is
     * left to the capture, which ends with its own message.
     */
    private void watchLink() {
        LiveCapture.LinkState now = capture.linkState();
        if (now == linkState || now == LiveCapture.LinkState.GONE || now == LiveCapture.LinkState.UNKNOWN) {
            return;
        }
        if (now == LiveCapture.LinkState.DOWN) {
            notices.accept(capture.name() + " is down (no link, or set down) at " + clock()
                    + "; still watching: capture resumes when it is back up (Ctrl-C stops)");
        } else {
            notices.accept(capture.name() + " is up again at " + clock() + "; capturing");
        }
        linkState = now;
    }

    /** The wall clock now, as the person watching reads times ({@code --tz}). */
    private String clock() {
        java.time.Instant now = java.time.Instant.now();
        return times.clockSeconds(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    /** Packet time now: the last frame's, moved on by the wall clock since it arrived. */
    private long packetNow(long wall, long wallAtLastFrame) {
        long last = analyzer.lastPacketNanos();
        if (last == Long.MIN_VALUE) {
            return java.time.Instant.now().getEpochSecond() * 1_000_000_000L + java.time.Instant.now().getNano();
        }
        return last + (wall - wallAtLastFrame);
    }

    /** The capture's counters, and since when it drops (first seen at a picture: to within 1–5 s). */
    private LiveSnapshot.CaptureCounts counts() {
        LiveCapture.Counts c = capture.counts();
        if (droppedSince == Long.MIN_VALUE && c.droppedByKernel() + c.droppedByInterface() + c.droppedByQueue() > 0) {
            long last = analyzer.lastPacketNanos();
            java.time.Instant wall = java.time.Instant.now();
            droppedSince = last != Long.MIN_VALUE ? last : wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        }
        return new LiveSnapshot.CaptureCounts(c.received(), c.droppedByKernel(), c.droppedByInterface(),
                c.droppedByQueue(), droppedSince);
    }

    /** Asks the session to end (from another thread); it drains and finishes. */
    public void stop() {
        stopRequested = true;
    }
}
