package dev.tcpstate.analysis;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a {@link RecordSink} on a thread of its own, beside the tracker: records go over in
 * batches, in the order they came, and the sink sees them one by one as before. The detectors or a
 * writer then cost the tracker only the hand-over (measured in bench/README.md: the sink is a
 * fifth of a flood's time). {@link #finish()} waits for the last record and passes on what the
 * sink threw; once it has thrown, the next hand-over throws it too, so reading stops early.
 */
final class SinkThread implements RecordSink {
    private static final int BATCH = 1024;
    private static final int BATCHES = 8;

    /** Records and their final times, filled by the tracker, drained by the sink's thread. */
    private static final class Batch {
        final ConnectionRecord[] records = new ConnectionRecord[BATCH];
        final long[] finalNanos = new long[BATCH];
        int size;
        boolean last;
    }

    private final RecordSink target;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES);
    private final Thread worker;
    private Batch filling;
    private volatile Throwable failure;

    SinkThread(RecordSink target) {
        this.target = target;
        for (int i = 0; i < BATCHES - 1; i++) {
            empty.add(new Batch());
        }
        filling = new Batch();
        worker = new Thread(this::drain, "tcpstate-records");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void begin(long firstFrameNanos) {
        // before any record, and the first hand-over orders it before everything the worker does
        target.begin(firstFrameNanos);
    }

    @Override
    public void accept(ConnectionRecord record, long finalNanos) {
        Batch batch = filling;
        batch.records[batch.size] = record;
        batch.finalNanos[batch.size++] = finalNanos;
        if (batch.size == BATCH) {
            handOver(false);
        }
    }

    /** Hands over what is left and waits until the sink has seen every record. */
    void finish() {
        handOver(true);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the records' thread", e);
        }
        rethrow();
    }

    /** Stops the sink's thread if it still runs (reading failed): a no-op after {@link #finish()}. */
    void abandon() {
        worker.interrupt();
    }

    private void handOver(boolean last) {
        rethrow();
        filling.last = last;
        try {
            full.put(filling);
            filling = last ? null : empty.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing records over", e);
        }
    }

    private void drain() {
        while (true) {
            Batch batch;
            try {
                batch = full.take();
            } catch (InterruptedException e) { // abandoned: the tracker's thread stopped first
                if (failure == null) {
                    failure = e;
                }
                return;
            }
            if (failure == null) {
                try {
                    for (int i = 0; i < batch.size; i++) {
                        target.accept(batch.records[i], batch.finalNanos[i]);
                    }
                } catch (Throwable t) { // handed to the tracker's thread, which throws it
                    failure = t;
                }
            }
            java.util.Arrays.fill(batch.records, 0, batch.size, null);
            batch.size = 0;
            if (batch.last) {
                return;
            }
            empty.add(batch);
        }
    }

    private void rethrow() {
        Throwable t = failure;
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        if (t != null) {
            throw new IllegalStateException("the records' thread failed", t);
        }
    }
}
