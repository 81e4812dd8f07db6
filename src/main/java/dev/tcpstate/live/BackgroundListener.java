package dev.tcpstate.live;

import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.flow.ConnectionRecord;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands the live events to another thread, in order: formatting a connection's JSON costs the
 * analysis thread more than tracking its packets, and on a busy link it has none to spare. The
 * records are immutable, so only a reference crosses. When the writer falls behind by
 * {@value #CAPACITY} events the analysis waits for it (no event is lost; the capture's own queue
 * absorbs the wait, and counts what it cannot).
 */
public final class BackgroundListener implements LiveAnalyzer.Listener, AutoCloseable {
    private static final int CAPACITY = 1 << 16;
    private static final Runnable END = () -> { };

    private final BlockingQueue<Runnable> events = new ArrayBlockingQueue<>(CAPACITY);
    private final LiveAnalyzer.Listener target;
    private final Thread writer;
    private volatile Throwable failure;

    public BackgroundListener(LiveAnalyzer.Listener target) {
        this.target = target;
        this.writer = new Thread(this::drain, "tcpstate-events");
        writer.setDaemon(true);
        writer.start();
    }

    private void drain() {
        try {
            for (Runnable event = events.take(); event != END; event = events.take()) {
                event.run();
            }
            target.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            events.clear(); // whoever waits to hand an event over must not wait forever
        }
    }

    private void hand(Runnable event) {
        if (failure != null) {
            throw new IllegalStateException("the live event writer failed: " + failure, failure);
        }
        try {
            events.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing a live event over", e);
        }
    }

    @Override
    public void opened(ConnectionRecord connection) {
        hand(() -> target.opened(connection));
    }

    @Override
    public void closed(ConnectionRecord connection) {
        hand(() -> target.closed(connection));
    }

    @Override
    public void logged(ConnectionRecord connection) {
        hand(() -> target.logged(connection));
    }

    @Override
    public void raised(Finding finding) {
        hand(() -> target.raised(finding));
    }

    @Override
    public void cleared(Finding finding) {
        hand(() -> target.cleared(finding));
    }

    @Override
    public void flush() {
        hand(target::flush);
    }

    /** Waits until every event handed over is written (before the report, which must come last). */
    @Override
    public void close() throws InterruptedException {
        if (writer.isAlive()) {
            hand(END);
            writer.join();
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }
}
